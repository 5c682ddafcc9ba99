"""Operations: health and readiness on every host, the request id and the JSON log line,
and Prometheus metrics behind a token."""

from __future__ import annotations

import json
import logging
import threading

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from billing.outbox.models import OutboxCall
from noaber.request_context import ContextFilter
from tests.clients import client_for, logged_in_client

# A closed port: nothing listens on port 1 on this machine.
NOWHERE = "redis://127.0.0.1:1/0"


def test_healthz_answers_on_any_host_without_the_database(alfa, django_assert_num_queries):
    """Liveness: the process is up. On the apex, a cooperative, a pod's own address (no
    cooperative, not in ALLOWED_HOSTS) and over plain http alike, without a query."""
    for host in ("noaber.test", alfa.host, "10.1.2.3:8000", "onbekend.noaber.test"):
        with django_assert_num_queries(0):
            response = client_for(host).get("/healthz")
        assert response.status_code == 200, host
        assert response.json() == {"status": "ok"}
        assert response["Cache-Control"] == "no-store"


def test_readyz_names_each_dependency_and_shows_nothing_else(alfa, celery_redis_app):
    response = client_for("10.1.2.3:8000").get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "cache": "ok"},
        "failed": [],
    }


def test_readyz_is_503_and_names_the_broker_when_it_is_gone(alfa, celery_redis_app):
    celery_redis_app.conf.broker_url = NOWHERE
    response = client_for(alfa.host).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"] == {"database": "ok", "broker": "failed", "cache": "ok"}
    # No host, port or error text of the broker in the answer.
    assert "127.0.0.1" not in response.content.decode()


def test_readyz_names_the_cache_when_it_is_gone(alfa):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": NOWHERE,
        "OPTIONS": {"socket_connect_timeout": 1},
    }
    with override_settings(CACHES={"default": unreachable, "tenancy": unreachable}):
        response = client_for("10.1.2.3").get("/readyz")
        caches["default"].close()
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    # Tasks run inline in the suite: no broker to reach, which is no failure.
    assert response.json()["checks"]["broker"] == "inline"


def test_readyz_names_the_database_when_it_is_gone(coops, django_db_blocker):
    """A new connection to a closed port (in a thread of its own, as a web worker has)."""
    shared = connection.settings_dict
    saved = shared["PORT"]
    answers = []

    def probe():
        try:
            answers.append(client_for("noaber.test").get("/readyz"))
        finally:
            connection.close()

    with django_db_blocker.unblock():
        shared["PORT"] = "1"
        try:
            thread = threading.Thread(target=probe)
            thread.start()
            thread.join(timeout=30)
        finally:
            shared["PORT"] = saved
    assert answers[0].status_code == 503
    assert answers[0].json()["failed"] == ["database"]


def test_each_response_carries_a_new_request_id_unless_the_proxy_is_trusted(alfa):
    client = client_for(alfa.host)
    first = client.get("/inloggen/", HTTP_X_REQUEST_ID="client-chosen")
    second = client.get("/inloggen/")
    assert first.status_code == second.status_code == 200
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != "client-chosen"
    assert first["X-Request-ID"] != second["X-Request-ID"]
    with override_settings(REQUEST_ID_TRUSTED=True):
        kept = client.get("/inloggen/", HTTP_X_REQUEST_ID="ingress-4f2a")
        forged = client.get("/inloggen/", HTTP_X_REQUEST_ID="x\nlevel=ERROR")
    assert kept["X-Request-ID"] == "ingress-4f2a"
    assert len(forged["X-Request-ID"]) == 32 and "\n" not in forged["X-Request-ID"]


def test_log_lines_are_json_with_the_schema_and_the_request_id(alfa, caplog):
    """A line logged while a cooperative's request runs names its schema and request id."""
    assert settings.LOG_FORMAT == "json"  # the default with DEBUG off, as in production
    handler = logging.getLogger().handlers[0]
    assert any(isinstance(f, ContextFilter) for f in handler.filters)
    caplog.handler.addFilter(ContextFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = logged_in_client(alfa).get("/bestaat-niet/")
    assert response.status_code == 404
    record = next(r for r in caplog.records if r.name == "django.request")
    assert (record.schema, record.request_id) == (alfa.schema, response["X-Request-ID"])
    line = json.loads(handler.formatter.format(record))
    assert line["schema"] == alfa.schema
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "WARNING" and line["logger"] == "django.request"
    # The log line names the path, never the member's name or email.
    assert alfa.board_email not in json.dumps(line) and alfa.board_name not in json.dumps(line)


def test_metrics_need_the_token(alfa):
    client = client_for("10.1.2.3:9000")
    assert client.get("/metrics").status_code == 404  # no METRICS_TOKEN: no metrics
    with override_settings(METRICS_TOKEN="s3cret-token"):
        assert client.get("/metrics").status_code == 401
        wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer other")
        assert wrong.status_code == 401
        assert b"noaber_" not in wrong.content


def test_metrics_show_latency_per_view_queue_depth_and_outbox_backlog(
    alfa, celery_redis_app, summary
):
    queue = celery_redis_app.conf.task_default_queue
    with celery_redis_app.connection_for_write() as broker:
        broker.default_channel.queue_purge(queue) if _exists(broker, queue) else None
        producer = broker.Producer()
        for n in range(3):
            producer.publish({"n": n}, routing_key=queue, declare=[_queue(queue)])
    OutboxCall.objects.create(operation="customer.create", idempotency_key="m-1")
    OutboxCall.objects.create(operation="customer.create", idempotency_key="m-2")
    OutboxCall.objects.create(
        operation="customer.create", idempotency_key="m-3", status=OutboxCall.Status.FAILED
    )
    member = logged_in_client(alfa)
    assert member.get("/api/v1/me/").status_code == 200
    try:
        with override_settings(METRICS_TOKEN="s3cret-token"):
            response = client_for("10.1.2.3:9000").get(
                "/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token"
            )
    finally:
        with celery_redis_app.connection_for_write() as broker:
            broker.default_channel.queue_purge(queue)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'noaber_request_duration_seconds_count{method="GET",view="api-me"}' in text
    assert f'noaber_celery_queue_depth{{queue="{queue}"}} 3.0' in text
    assert 'noaber_outbox_calls{status="pending"} 2.0' in text
    assert 'noaber_outbox_calls{status="failed"} 1.0' in text
    assert "noaber_outbox_oldest_pending_seconds" in text
    # Bound to no cooperative: no schema, host or person in the metrics.
    assert alfa.schema not in text and alfa.host not in text and alfa.board_email not in text


def _queue(name):
    from kombu import Queue

    return Queue(name, routing_key=name)


def _exists(broker, name) -> bool:
    try:
        broker.default_channel.queue_declare(queue=name, passive=True)
    except Exception:
        return False
    return True
