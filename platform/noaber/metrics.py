"""Prometheus metrics: request latency per view, Celery queue depth and the Stripe outbox's
backlog, on /metrics (answered by noaber.probes before any host routing).

/metrics is not public: without METRICS_TOKEN it does not exist (404); with it, a scrape must
send ``Authorization: Bearer <METRICS_TOKEN>``. Under gunicorn every worker process keeps its
own counts; with PROMETHEUS_MULTIPROC_DIR set (deploy/entrypoint.sh does) prometheus-client
adds them up over the processes. Queue depth and backlog are read when scraped, not counted.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from billing.outbox.selectors import outbox_backlog
from shared.tenancy.current import connection

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "noaber_request_duration_seconds",
    "Time from the request reaching Django to its response, per view.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def view_label(request: HttpRequest) -> str:
    """The URL name the request resolved to: a bounded set, never a path with ids in it."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"
    return str(match.view_name or match.route or "unnamed")


class LatencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        try:
            return self.get_response(request)
        finally:
            method = request.method if request.method in _METHODS else "other"
            REQUEST_LATENCY.labels(view=view_label(request), method=method).observe(
                time.perf_counter() - started
            )


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def celery_queue_depths() -> dict[str, int]:
    """Messages waiting in each queue the workers consume (empty when tasks run inline)."""
    from noaber.celery import app

    if app.conf.task_always_eager:
        return {}
    names = {app.conf.task_default_queue, *(q.name for q in app.conf.task_queues or ())}
    depths = {}
    with app.connection_for_read() as broker:
        broker.ensure_connection(max_retries=1, timeout=3)
        channel = broker.default_channel
        for name in sorted(names):
            try:
                depths[name] = int(channel.queue_declare(queue=name, passive=True).message_count)
            except Exception:  # a queue nobody declared yet holds nothing
                depths[name] = 0
    return depths


class BacklogCollector(Collector):
    """Read at scrape time: what waits in the broker and in the outbox."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        depth = GaugeMetricFamily(
            "noaber_celery_queue_depth", "Celery messages waiting in a queue.", labels=["queue"]
        )
        try:
            for queue, count in celery_queue_depths().items():
                depth.add_metric([queue], count)
        except Exception:
            logger.warning("metrics: broker not reachable for the queue depth", exc_info=True)
        yield depth
        try:
            connection.set_schema_to_public()
            backlog = outbox_backlog()
        except Exception:
            logger.warning("metrics: database not reachable for the outbox", exc_info=True)
            return
        outbox = GaugeMetricFamily(
            "noaber_outbox_calls", "Stripe calls in the outbox, by status.", labels=["status"]
        )
        outbox.add_metric(["pending"], backlog["pending"])
        outbox.add_metric(["failed"], backlog["failed"])
        yield outbox
        yield GaugeMetricFamily(
            "noaber_outbox_oldest_pending_seconds",
            "Age of the oldest pending Stripe call in the outbox.",
            value=backlog["oldest_pending_seconds"],
        )


_BACKLOG = CollectorRegistry(auto_describe=False)
_BACKLOG.register(BacklogCollector())


def exposition() -> bytes:
    """This process's metrics (or, under gunicorn, all processes') and the live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        counted = generate_latest(processes)
    else:
        counted = generate_latest(REGISTRY)
    return counted + generate_latest(_BACKLOG)


def metrics(request: HttpRequest) -> HttpResponse:
    token = getattr(settings, "METRICS_TOKEN", "")
    if not token:
        return HttpResponse(status=404)
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
