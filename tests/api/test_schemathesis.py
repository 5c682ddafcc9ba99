"""The API matches its schema (issue 14, item 8): schemathesis generates requests from the
cooperative's and the apex's OpenAPI schemas and sends them to the Django WSGI app, logged in as
a board member; every answer must be no 5xx and agree with the schema (status code, content
type, body), and requests the schema forbids must be refused.

Bounded in time: a few examples per operation, no shrinking, derandomised (the same requests on
every run). Each request runs in a savepoint that is rolled back, so the test database stays
as the test found it, whatever schemathesis wrote.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks as st_checks
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from tests.clients import logged_in_client, network_client
from tests.factories import network_user

EXAMPLES = 3
CSRF = "schemathesis0csrf0token0for0test"  # 32 characters: an unmasked CSRF secret
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
]


@contextmanager
def _connection_kept() -> Iterator[None]:
    """Django's WSGI app inside the test's transaction: like Django's test client (which
    connects them again after each of its own requests), no closing of the connection at the
    start and end of a request, which would end the transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class _Run:
    """One schemathesis run against one host: the calls, their counts and what failed."""

    def __init__(self, app: Any, client: Any, host: str, label: str):
        self.host, self.label = host, label
        cookies = {settings.CSRF_COOKIE_NAME: CSRF}
        if settings.SESSION_COOKIE_NAME in client.cookies:
            cookies[settings.SESSION_COOKIE_NAME] = client.cookies[
                settings.SESSION_COOKIE_NAME
            ].value
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.headers = {"X-CSRFToken": CSRF}

        def logged_in(environ: dict[str, Any], start_response: Any) -> Any:
            # The session and CSRF cookies on every request: schemathesis' WSGI client files
            # cookies under "localhost", not under the cooperative's host.
            environ["HTTP_COOKIE"] = cookie
            return app(environ, start_response)

        self.app = logged_in
        self.failures: list[str] = []
        self.sent: Counter[str] = Counter()
        self.impossible = 0

    def call(self, case: Any, mode: GenerationMode) -> None:
        sid = transaction.savepoint()
        try:
            with _connection_kept():
                response = case.call(
                    base_url=f"http://{self.host}", app=self.app, headers=self.headers
                )
        finally:
            transaction.savepoint_rollback(sid)
        self.sent[mode.value] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=self.headers)
        except (Exception, FailureGroup) as error:  # every failed check of one answer
            where = f"{self.label} {case.operation.label} [{mode.value}]"
            self.failures.append(f"{where}: {error}"[:1500])

    def operation(self, operation: Any, mode: GenerationMode) -> None:
        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def examples(case: Any) -> None:
            self.call(case, mode)

        try:
            examples()
        except Unsatisfiable:
            # No request of this mode exists (nothing to break in an operation without
            # parameters or body): nothing to send.
            self.impossible += 1


def _run(app: Any, client: Any, host: str, summary: Any, label: str) -> list[str]:
    raw = client.get("/api/v1/schema/", {"format": "json"}, HTTP_HOST=host).json()
    schema = schemathesis.openapi.from_dict(raw)
    run = _Run(app, client, host, label)
    started = time.monotonic()
    operations = 0
    for result in schema.get_all_operations():
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run.operation(result.ok(), mode)
    seconds = time.monotonic() - started
    summary(
        f"schemathesis {label}: {operations} operations, {sum(run.sent.values())} requests "
        f"({dict(run.sent)}), {len(run.failures)} failures, {seconds:.0f} s"
    )
    return run.failures


@pytest.mark.timeout(300)
def test_the_cooperative_api_matches_its_schema(alfa, beta, summary):
    failures = _run(WSGIHandler(), logged_in_client(alfa), alfa.host, summary, "cooperative")
    assert failures == [], "\n\n".join(failures)


@pytest.mark.timeout(120)
def test_the_apex_api_matches_its_schema(alfa, beta, networks, summary):
    client = network_client(network_user(networks.samen030))
    failures = _run(WSGIHandler(), client, settings.PLATFORM_DOMAIN, summary, "apex")
    assert failures == [], "\n\n".join(failures)
