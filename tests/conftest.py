"""Test set-up shared by the whole suite.

Every test runs against two real cooperatives, `alfa` (Oost voor Elkaar template) and `beta`
(WIJ template), each in its own schema, so isolation is tested everywhere. They are made once
per session through the real sign-up service (cloned schemas) and committed; each test then
runs in a transaction that is rolled back, so what a test writes never reaches the next one.

The tests mirror the source: the tests of ``cooperatives/members/views.py`` are in
``tests/cooperatives/members/test_views.py``; a story better told in one file has a name that
says what it checks (``tests/cooperatives/points/test_ledger_concurrency.py``); the browser
tests are in ``tests/e2e/``. A fixture that one feature's tests share sits in that feature's
``conftest.py``. No test module imports from another; what they share is here:

- ``tests/factories.py``: test data (factory_boy factories, in the schema the test names);
- ``tests/clients.py``: clients per host, logged in, and the API's JSON calls and refusals;
- ``tests/state.py``: what a test reads back to check (snapshots, audit actions, the books);
- ``tests/pages.py``: reading a page (labels, language, text); ``tests/texts.py``: the Dutch
  texts that a feature's page and API tests both expect;
- ``tests/stripe_standin.py`` and ``tests/browser.py``: Stripe's stand-in and the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from shared.accounts.models import User
from shared.tenancy.urls import cooperative_host
from tenants.models import Cooperative
from tenants.services import cooperative_sign_up
from tests.clients import client_for
from tests.factories import PASSWORD
from tests.stripe_standin import stripe_standin  # noqa: F401  (a fixture for every test module)


def _timeout_of(item: pytest.Item) -> float:
    marker = item.get_closest_marker("timeout")
    if marker is None:
        return 0.0
    return float(marker.args[0] if marker.args else marker.kwargs.get("timeout") or 0)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first, longest first: those that carry a timeout of their own (the axe
    crawl, the browser journeys, the ledger's state machine); every other test keeps its
    place. Under pytest-xdist (bin/test) each worker takes the next test as it becomes
    free, so the long ones start at once, side by side, and the many short ones fill in
    around them: both workers finish together instead of one starting the crawl at the end.
    A new long test says so with its own ``@pytest.mark.timeout(...)``."""
    items.sort(key=lambda item: -_timeout_of(item))


# What a test asks to have shown after the run (the axe crawl's count and its milder
# findings), from each test report: under pytest-xdist a worker's own output is not shown, but
# its reports, with their user_properties, reach the main process.
SUMMARY = "noaber_summary"
_summaries: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _summaries.extend(text for key, text in report.user_properties if key == SUMMARY)


def pytest_terminal_summary(terminalreporter) -> None:
    for text in _summaries:
        terminalreporter.write_line(text)


@pytest.fixture
def summary(record_property):
    """summary("…") prints the line in pytest's closing summary, in a parallel run as well."""
    return lambda text: record_property(SUMMARY, text)


@dataclass(frozen=True)
class CoopFixture:
    cooperative: Cooperative
    host: str
    board_email: str
    board_name: str

    @property
    def schema(self) -> str:
        return self.cooperative.schema_name


def _sign_up(slug: str, name: str, board_name: str, template: str) -> CoopFixture:
    email = f"bestuur@{slug}.example.nl"
    result = cooperative_sign_up(
        name=name,
        slug=slug,
        board_member_name=board_name,
        email=email,
        password=PASSWORD,
        template=template,
    )
    return CoopFixture(result.cooperative, cooperative_host(slug=slug), email, board_name)


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_modify_db_settings, django_db_blocker
):
    """Always set up the test database, also for a run of only tests that use committed data
    (the browser and worker tests): pytest-django's own fixture sets up only the databases
    of tests marked for it. django_db_modify_db_settings gives each pytest-xdist worker a
    database of its own (test_<name>_gw0, _gw1, ...): without it every worker would create,
    and drop, the same test database."""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        db_cfg = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(db_cfg, verbosity=verbosity)


@pytest.fixture(scope="session")
def coops(django_db_setup, django_db_blocker) -> Iterator[dict[str, CoopFixture]]:
    with django_db_blocker.unblock():
        made = {
            "alfa": _sign_up("alfa", "Wijkcoöperatie Alfa", "Anna Alfa", "oost"),
            "beta": _sign_up("beta", "WIJ-coöperatie Beta", "Bert Beta", "wij"),
        }
        with schema_context("public"):
            User.objects.create_user(
                "beheer@samen030.example.nl", PASSWORD, full_name="Nora Netwerk"
            )
        connection.set_schema_to_public()
    yield made


@pytest.fixture
def alfa(coops, db) -> CoopFixture:
    return _as_stored(coops["alfa"])


@pytest.fixture
def beta(coops, db) -> CoopFixture:
    return _as_stored(coops["beta"])


def _as_stored(coop: CoopFixture) -> CoopFixture:
    """The session's Cooperative object is shared by every test of the worker: a test that
    changed it in memory (a status set by a service) must not leave the next one a closed
    cooperative, so each test starts from the row as stored (its transaction rolled back)."""
    coop.cooperative.refresh_from_db()
    return coop


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    """Caches, the connection's schema and the active language never carry over from one
    test to the next (a request in English leaves English active in the thread)."""
    for alias in settings.CACHES:
        caches[alias].clear()
    connection.set_schema_to_public()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    connection.set_schema_to_public()
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def networks(coops, db):
    """500WIJK (national) over SAMEN030 (city), and Rijnmond apart (tests.factories)."""
    from tests.factories import networks_make

    return networks_make()


@pytest.fixture
def apex_client() -> Client:
    return client_for(settings.PLATFORM_DOMAIN)


def _reset_celery_clients() -> None:
    """Celery caches its broker pool, result backend and queues; kombu keeps broker pools per
    URL even once closed. Drop them all so a changed configuration takes effect."""
    import kombu.pools

    from noaber.celery import app

    kombu.pools.reset()
    app._pool = None
    for cached in ("amqp", "backend"):
        app.__dict__.pop(cached, None)
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def celery_redis_app():
    """The project's Celery app on the real Redis (NOABER_TEST_BROKER_URL) for one test, with
    a queue of this test database's own, so runs against other databases never take its
    tasks. Afterwards tasks run inline again."""
    import os

    from noaber.celery import app

    broker = os.environ["NOABER_TEST_BROKER_URL"]
    keys = ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=broker,
        result_backend=broker,
        task_always_eager=False,
        task_default_queue=f"noaber-test-{connection.settings_dict['NAME']}",
    )
    _reset_celery_clients()
    yield app
    app.conf.update(saved)
    _reset_celery_clients()


@pytest.fixture
def celery_broker_down():
    """The project's Celery app with a broker that refuses every connection (nothing listens
    on port 1), as when Redis is down: queueing a task raises. Afterwards tasks run inline
    again."""
    from noaber.celery import app

    keys = ("broker_url", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    _reset_celery_clients()
    yield app
    app.conf.update(saved)
    _reset_celery_clients()
