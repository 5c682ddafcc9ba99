"""One error shape for the whole API:

    {"type": "validation_error", "errors": [{"attr": "slug", "code": "reserved", "detail": "…"}]}

Django ValidationErrors raised by services are reported the same way as DRF's own, so a
service's Dutch message and code reach the API client unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorItemSerializer(serializers.Serializer[dict[str, str]]):
    attr = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    detail = serializers.CharField()


class ErrorResponseSerializer(serializers.Serializer[dict[str, object]]):
    type = serializers.ChoiceField(["validation_error", "client_error", "server_error"])
    errors = ErrorItemSerializer(many=True)  # type: ignore[assignment]


def _flatten(details: Any, attr: str | None = None) -> list[dict[str, Any]]:
    if isinstance(details, dict) and "message" in details and "code" in details:
        return [{"attr": attr, "code": details["code"], "detail": str(details["message"])}]
    if isinstance(details, dict):
        items = []
        for key, value in details.items():
            # Errors about the whole input (DRF's non_field_errors, Django's __all__) have no attr.
            name = (
                None
                if key in ("non_field_errors", "__all__")
                else (f"{attr}.{key}" if attr else key)
            )
            items.extend(_flatten(value, name))
        return items
    if isinstance(details, list):
        items = []
        for value in details:
            items.extend(_flatten(value, attr))
        return items
    return [{"attr": attr, "code": "error", "detail": str(details)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=get_error_detail(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"type": "validation_error", "errors": _flatten(exc.get_full_details())}
    elif isinstance(exc, exceptions.APIException):
        response.data = {
            "type": "client_error" if response.status_code < 500 else "server_error",
            "errors": _flatten(exc.get_full_details()),
        }
    return response


# The error responses every API view documents (drf-spectacular ``responses``).
ERROR_RESPONSES = {
    400: ErrorResponseSerializer,
    403: ErrorResponseSerializer,
    404: ErrorResponseSerializer,
}


def _error_body(kind: str, code: str, detail: str) -> dict[str, object]:
    return {"type": kind, "errors": [{"attr": None, "code": code, "detail": detail}]}


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's handler404: under /api/ the structured error (a path the URL patterns do not
    match, such as /api/v1/members/-1/, never reaches DRF), elsewhere the page."""
    if request.path.startswith(API_PREFIX):
        body = _error_body("client_error", "not_found", str(exceptions.NotFound.default_detail))
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception or Http404())


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: under /api/ the structured error, elsewhere the page."""
    if request.path.startswith(API_PREFIX):
        detail = str(exceptions.APIException.default_detail)
        return JsonResponse(_error_body("server_error", "error", detail), status=500)
    return defaults.server_error(request)


def document_refusals(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation documents the refusals every API
    view can give (a bad parameter or body, no permission, not found) as the structured error,
    also where a view named none (a list's ?page=99 is a 404)."""
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in REFUSALS.items():
                responses.setdefault(
                    status,
                    {
                        "content": content,
                        "description": description,
                    },
                )
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "ErrorResponse", _ERROR_COMPONENT
    )
    return result


REFUSALS = {"400": "Ongeldige invoer", "403": "Geen toestemming", "404": "Niet gevonden"}
API_PREFIX = "/api/"
_ERROR_ITEM = {
    "type": "object",
    "properties": {
        "attr": {"type": "string", "nullable": True},
        "code": {"type": "string"},
        "detail": {"type": "string"},
    },
    "required": ["attr", "code", "detail"],
}
_ERROR_COMPONENT = {
    "type": "object",
    "properties": {
        "type": {"enum": ["validation_error", "client_error", "server_error"], "type": "string"},
        "errors": {"type": "array", "items": _ERROR_ITEM},
    },
    "required": ["type", "errors"],
}
