"""Health, readiness and metrics, answered before host routing.

``/healthz`` says the process is up and serving (no database: a liveness probe that failed
with the database would restart every web pod, which does not bring the database back).
``/readyz`` says whether this pod can serve now: the database, the broker and the cache each
answer; a 503 names the ones that did not. ``/metrics`` is noaber.metrics'.

They answer on every host, also a pod's own address, which is no cooperative and not in
ALLOWED_HOSTS: this middleware comes first and never reads the Host header. They are bound to
no cooperative and show no personal data, only which dependency answered.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse

from noaber.metrics import metrics
from shared.tenancy.current import connection

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker() -> str:
    from noaber.celery import app

    if app.conf.task_always_eager:
        return "inline"  # no broker configured: tasks run in the request
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=3)
    return "ok"


def _cache() -> None:
    cache = caches["default"]
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was just stored")
    cache.delete(key)


CHECKS: dict[str, Callable[[], object]] = {
    "database": _database,
    "broker": _broker,
    "cache": _cache,
}


def readyz(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            outcome = check()
        except Exception:
            # The error goes to the log only: it may name hosts or users.
            logger.warning("readiness: %s not reachable", name, exc_info=True)
            results[name] = "failed"
        else:
            results[name] = outcome if isinstance(outcome, str) else "ok"
    failed = sorted(name for name, result in results.items() if result == "failed")
    body = {"status": "unavailable" if failed else "ok", "checks": results, "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)


ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics,
}


class ProbeMiddleware:
    """First in MIDDLEWARE: before the HTTPS redirect, host validation and tenant routing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = endpoint(request)
        response["Cache-Control"] = "no-store"
        return response
