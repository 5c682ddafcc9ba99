"""Bad input refused before any view, once for every request of the site and the API.

PostgreSQL refuses a NUL character in text, so a NUL that reaches a query or an insert is a
500 wherever it comes in: a query parameter of a list filter, a form field, a JSON string. This
middleware refuses it in the query string and in form bodies, and runs the API's JSON checks
(``shared.api.parsers``: depth, NUL, NaN, sizes) on every JSON body sent to the API, also to an
endpoint that never reads its body. A page gets a 400 page with a Dutch message; the API gets
its structured error (``shared.api.exceptions``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from shared.api.parsers import BadInput, loads, null_character

API_PREFIX = "/api/"
JSON_TYPES = ("application/json", "application/merge-patch+json")


def _nul_in(data: QueryDict) -> str | None:
    """The name of the first parameter with a NUL in its name or a value, or None."""
    for key, values in data.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "")
    return None


def _problem(request: HttpRequest) -> BadInput | None:
    if "\x00" in request.path:
        return BadInput(None, "null_characters_not_allowed", null_character())
    name = _nul_in(request.GET)
    if name is not None:
        return BadInput(name, "null_characters_not_allowed", null_character())
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        name = _nul_in(request.POST)
        if name is not None:
            return BadInput(name, "null_characters_not_allowed", null_character())
    elif content_type in JSON_TYPES and request.path.startswith(API_PREFIX) and request.body:
        try:
            loads(request.body.decode(request.encoding or "utf-8"))
        except BadInput as error:
            return error
        except ValueError:
            pass  # not JSON: the view's own parser answers that
    return None


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            problem = _problem(request)
        except (RequestDataTooBig, TooManyFieldsSent):
            problem = BadInput(None, "too_large", _("De invoer is te groot."))
        if problem is None:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            error = {"attr": problem.attr, "code": problem.code, "detail": problem.detail}
            return JsonResponse({"type": "validation_error", "errors": [error]}, status=400)
        return render(request, "400.html", {"reason": problem.detail}, status=400)
