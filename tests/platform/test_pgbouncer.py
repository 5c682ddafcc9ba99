"""PgBouncer in transaction mode, as deploy/ runs it, cannot mix cooperatives.

The fixture starts Debian's pgbouncer with deploy/pgbouncer/pgbouncer.ini (its own port and
address, trust authentication to this machine's PostgreSQL) and a pool of ONE server
connection, so every client (two request threads and a Celery worker) shares it. Two
cooperatives then take turns statement by statement: alfa's board member logs in, asks who is
logged in and queues a task that writes to a user of its own, while beta's does the same. Every
login lands in its own schema's session table, every answer names its own cooperative and
member, every task finds and marks its own user: a single statement in the wrong schema shows.

The same alternation without the guard (django-tenants' own per-request SET) does mix them:
that is what the guard is for, and it shows this test can see a mix-up.
"""

from __future__ import annotations

import configparser
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.tasks import send_welcome_email
from tests.clients import client_for
from tests.factories import PASSWORD

DEPLOY_INI = Path(settings.REPO_ROOT) / "deploy" / "pgbouncer" / "pgbouncer.ini"
ROUNDS = 12


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _deploy_config() -> configparser.ConfigParser:
    config = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";",))
    config.read(DEPLOY_INI)
    return config


@pytest.fixture(scope="module")
def pgbouncer(django_db_setup) -> Iterator[dict[str, Any]]:
    """Debian's pgbouncer in the pool mode of deploy/, in front of the test database."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not os.path.exists(binary):
        pytest.fail("pgbouncer is not installed (bin/test installs Debian's package)")
    direct = connection.settings_dict
    config = _deploy_config()
    assert config["pgbouncer"]["pool_mode"] == "transaction"
    server = f"host={direct['HOST'] or '127.0.0.1'} port={direct['PORT'] or 5432}"
    if direct.get("PASSWORD"):
        server += f" password={direct['PASSWORD']}"
    config["databases"] = {"*": server}
    port = _free_port()
    user = direct["USER"] or "postgres"
    folder = Path(tempfile.mkdtemp(prefix="noaber-pgbouncer-"))
    folder.chmod(0o755)  # pgbouncer refuses to run as root and reads it as nobody
    users = folder / "userlist.txt"
    users.write_text(f'"{user}" ""\n')
    config["pgbouncer"].update(
        listen_addr="127.0.0.1",
        listen_port=str(port),
        auth_type="trust",
        auth_file=str(users),
        default_pool_size="1",
        reserve_pool_size="0",
        max_client_conn="50",
        stats_users=user,
        admin_users="",
    )
    ini = folder / "pgbouncer.ini"
    with ini.open("w") as out:
        config.write(out)
    for path in (users, ini):
        path.chmod(0o644)
    command = [binary, str(ini)]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "nobody"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                pytest.fail(f"pgbouncer did not start: {process.stdout.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("pgbouncer did not listen within 15 s")
                time.sleep(0.1)
        yield {"port": port, "user": user, "database": direct["NAME"]}
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def through_pgbouncer(pgbouncer: dict[str, Any], mode: str) -> Iterator[None]:
    """Every connection opened from here on (each thread opens its own) goes through the
    pooler, in the given DATABASE_POOL_MODE; the settings are the ones all threads share."""
    shared = connection.settings_dict
    saved = shared["HOST"], shared["PORT"]
    shared.update(HOST="127.0.0.1", PORT=str(pgbouncer["port"]))
    try:
        with override_settings(DATABASE_POOL_MODE=mode):
            yield
    finally:
        shared.update(HOST=saved[0], PORT=saved[1])


class Baton:
    """Two threads take turns, one statement each, wherever no transaction holds the one
    server connection (a transaction runs through; waiting in one would block the other
    thread at the pooler). A thread that waits too long goes on: a missed turn is no error."""

    def __init__(self, names: tuple[str, str]) -> None:
        self.names = names
        self.turn = names[0]
        self.condition = threading.Condition()

    def wrapper(self, name: str) -> Any:
        other = self.names[1] if name == self.names[0] else self.names[0]

        def take_turns(execute, sql, params, many, context):
            if context["connection"].in_atomic_block:
                return execute(sql, params, many, context)
            with self.condition:
                self.condition.wait_for(lambda: self.turn == name, timeout=0.5)
            try:
                return execute(sql, params, many, context)
            finally:
                with self.condition:
                    self.turn = other
                    self.condition.notify_all()

        return take_turns


def _member_rounds(coop, users: list[User], baton: Baton, key: str, seen: list, tasks: list):
    """Log in, ask who is logged in, queue a task for an own user, log out; ROUNDS times."""
    try:
        assert connection.settings_dict["HOST"] == "127.0.0.1"
        client = client_for(coop.host)
        with connection.execute_wrapper(baton.wrapper(key)):
            for user in users:
                try:
                    login = client.post(
                        "/inloggen/", {"username": _member_email(key), "password": PASSWORD}
                    )
                    me = client.get("/api/v1/me/")
                    body = me.json() if me.status_code == 200 else {}
                    seen.append((login.status_code, login.get("Location"), me.status_code, body))
                except Exception as error:  # a query in the wrong schema may fail outright
                    seen.append(("error", repr(error)))
                if tasks is not None:
                    with schema_context(coop.schema):
                        tasks.append(send_welcome_email.delay(user_id=user.pk))
                client.post("/uitloggen/")
    finally:
        connection.close()


def _alternate(coops, users: dict[str, list[User]], *, with_tasks: bool) -> tuple[dict, dict]:
    baton = Baton(("alfa", "beta"))
    seen: dict[str, list] = {"alfa": [], "beta": []}
    tasks: dict[str, Any] = {"alfa": [], "beta": []} if with_tasks else {"alfa": None, "beta": None}
    threads = [
        threading.Thread(
            target=_member_rounds,
            args=(coops[key], users[key], baton, key, seen[key], tasks[key]),
        )
        for key in ("alfa", "beta")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    return seen, tasks


def _member_email(key: str) -> str:
    """The member who logs in, round after round: one without a role, whose login is the
    password alone (the board's needs a new code each time, and a code is taken once)."""
    return f"pool-lid@{key}.example.nl"


@contextmanager
def _task_users(coops) -> Iterator[dict[str, list[User]]]:
    """ROUNDS users per cooperative, committed, each to be welcomed by one task, and the
    member who logs in. The ids of the two schemas overlap (each schema counts its own), so a
    task that ran in the other schema would welcome the other cooperative's user and return
    its address."""
    from django.contrib.auth.hashers import make_password

    from cooperatives.members.models import Member
    from tests.browser import browser_member

    users: dict[str, list[User]] = {}
    for key in ("alfa", "beta"):
        with schema_context(coops[key].schema):
            browser_member(f"Pool Lid {key}", _member_email(key), make_password(PASSWORD))
            users[key] = [
                User.objects.create_user(
                    f"pool-{key}-{i}@example.nl", PASSWORD, full_name=f"Pool {key} {i}"
                )
                for i in range(ROUNDS)
            ]
    try:
        yield users
    finally:
        connection.set_schema_to_public()
        for key, made in users.items():
            with schema_context(coops[key].schema):
                Member.objects.filter(email=_member_email(key)).delete()
                User.objects.filter(email=_member_email(key)).delete()
                User.objects.filter(pk__in=[u.pk for u in made]).delete()
        connection.set_schema_to_public()


def _pool_figures(pgbouncer: dict[str, Any]) -> dict[str, int]:
    """From PgBouncer's console: how many server connections served how many clients."""
    with psycopg.connect(
        host="127.0.0.1",
        port=pgbouncer["port"],
        dbname="pgbouncer",
        user=pgbouncer["user"],
        autocommit=True,
    ) as console:
        pools = console.execute("SHOW POOLS").fetchall()
        columns = [c.name for c in console.execute("SHOW POOLS").description]
        stats = console.execute("SHOW STATS").fetchall()
        stat_columns = [c.name for c in console.execute("SHOW STATS").description]
    pool = next(
        dict(zip(columns, row, strict=True)) for row in pools if row[0] == pgbouncer["database"]
    )
    stat = next(
        dict(zip(stat_columns, row, strict=True))
        for row in stats
        if row[0] == pgbouncer["database"]
    )
    servers = sum(int(pool[k]) for k in ("sv_active", "sv_idle", "sv_used", "sv_tested"))
    return {"servers": servers, "transactions": int(stat["total_xact_count"])}


@pytest.mark.timeout(240)
def test_requests_and_tasks_of_two_cooperatives_never_mix_through_pgbouncer(
    coops, pgbouncer, celery_redis_app, django_db_blocker, summary
):
    with django_db_blocker.unblock(), _task_users(coops) as users:
        with (
            through_pgbouncer(pgbouncer, "transaction"),
            start_worker(
                celery_redis_app, perform_ping_check=False, pool="solo", shutdown_timeout=30
            ),
        ):
            seen, tasks = _alternate(coops, users, with_tasks=True)
            outcome = {key: [r.get(timeout=60) for r in made] for key, made in tasks.items()}
            figures = _pool_figures(pgbouncer)
        welcomed = {}
        for key in ("alfa", "beta"):
            with schema_context(coops[key].schema):
                welcomed[key] = sorted(
                    User.objects.filter(
                        email__startswith="pool-", welcome_sent_at__isnull=False
                    ).values_list("email", flat=True)
                )
        connection.set_schema_to_public()

    for key, name in (("alfa", "Wijkcoöperatie Alfa"), ("beta", "WIJ-coöperatie Beta")):
        coop = coops[key]
        assert len(seen[key]) == ROUNDS
        for entry in seen[key]:
            assert entry[:3] == (302, "/", 200), entry
            assert (entry[3]["email"], entry[3]["cooperative"]) == (_member_email(key), name)
        emails = [f"pool-{key}-{i}@example.nl" for i in range(ROUNDS)]
        assert outcome[key] == [{"schema": coop.schema, "sent": True, "to": e} for e in emails]
        assert welcomed[key] == sorted(emails)
    # One server connection carried all of it: the two request threads and the worker took
    # turns on it, transaction by transaction.
    assert figures["servers"] == 1
    assert figures["transactions"] > 10 * ROUNDS
    summary(f"pgbouncer: {figures['transactions']} transactions over 1 server connection")


@pytest.mark.timeout(120)
def test_without_the_guard_the_same_alternation_mixes_cooperatives(
    coops, pgbouncer, django_db_blocker, summary
):
    """django-tenants' own SET search_path (DATABASE_POOL_MODE=session) behind the same
    transaction pooler: one cooperative's statements run in the other's schema."""
    with django_db_blocker.unblock(), _task_users(coops) as users:
        with through_pgbouncer(pgbouncer, "session"):
            seen, _tasks = _alternate(coops, users, with_tasks=False)
        connection.set_schema_to_public()
    names = {"alfa": "Wijkcoöperatie Alfa", "beta": "WIJ-coöperatie Beta"}
    wrong = [
        entry
        for key in ("alfa", "beta")
        for entry in seen[key]
        if entry[0] == "error"
        or entry[:3] != (302, "/", 200)
        or entry[3].get("cooperative") != names[key]
    ]
    assert wrong, "the alternation did not mix the schemas, so it proves nothing"
    summary(f"pgbouncer without the guard: {len(wrong)} of {2 * ROUNDS} rounds mixed up")
