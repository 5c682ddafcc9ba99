"""A deploy stops a worker with SIGTERM: what runs either finishes or goes back to the broker.

A real worker, started through deploy/entrypoint.sh's `worker` role (prefork, as in
production) on the real Redis, gets a task; SIGTERM arrives while it runs. With time enough
(CELERY_SOFT_SHUTDOWN_SECONDS) the task finishes and the worker exits; with too little it is
stopped, handed back (acks_late) and a second worker runs it to the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def _worker(queue: str, soft_seconds: int, home: Path) -> subprocess.Popen:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HOME": str(home),
        "APP_DIR": str(REPO),
        "DJANGO_SETTINGS_MODULE": "noaber.settings",
        "DEBUG": "0",
        "SECRET_KEY": "worker-test-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "PLATFORM_DOMAIN": "noaber.test",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": os.environ["NOABER_TEST_BROKER_URL"],
        "CELERY_CONCURRENCY": "1",
        "CELERY_SOFT_SHUTDOWN_SECONDS": str(soft_seconds),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }
    return subprocess.Popen(
        [
            "bash",
            str(REPO / "deploy" / "entrypoint.sh"),
            *("worker", "-Q", queue, "--include", "tests.worker_tasks"),
            *("--without-mingle", "--without-gossip"),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for(store: redis.Redis, key: str, seconds: float) -> bytes | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = store.get(key)
        if value is not None:
            return value
        time.sleep(0.2)
    return None


def _send(app, queue: str, key: str, first: float, later: float) -> None:
    app.send_task(
        "tests.worker_tasks.shutdown_probe",
        kwargs={
            "broker": os.environ["NOABER_TEST_BROKER_URL"],
            "key": key,
            "first_seconds": first,
            "later_seconds": later,
        },
        queue=queue,
    )


def _stop(worker: subprocess.Popen, seconds: float) -> int:
    worker.send_signal(signal.SIGTERM)
    try:
        return worker.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        pytest.fail(f"the worker did not stop within {seconds} s: {worker.stdout.read()!r}")


@pytest.fixture
def probe(celery_redis_app):
    store = redis.Redis.from_url(os.environ["NOABER_TEST_BROKER_URL"])
    key = f"noaber-shutdown-{uuid.uuid4().hex}"
    queue = f"{key}-queue"
    yield celery_redis_app, store, key, queue
    for name in store.scan_iter(f"{key}*"):
        store.delete(name)


@pytest.mark.timeout(120)
def test_sigterm_lets_a_running_task_finish(coops, probe, tmp_path):
    app, store, key, queue = probe
    worker = _worker(queue, soft_seconds=30, home=tmp_path)
    try:
        _send(app, queue, key, first=4, later=4)
        assert _wait_for(store, f"{key}:started", 60) == b"1", "the task never started"
        assert store.get(f"{key}:done") is None
        code = _stop(worker, 45)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    assert store.get(f"{key}:done") == b"1"
    assert store.get(f"{key}:attempts") == b"1"
    assert code == 0


@pytest.mark.timeout(180)
def test_sigterm_hands_a_task_that_cannot_finish_back_to_the_broker(coops, probe, tmp_path):
    app, store, key, queue = probe
    first = _worker(queue, soft_seconds=2, home=tmp_path)
    second = None
    try:
        _send(app, queue, key, first=300, later=1)
        assert _wait_for(store, f"{key}:started", 60) == b"1", "the task never started"
        _stop(first, 30)
        assert store.get(f"{key}:done") is None  # stopped mid-task, not finished
        second = _worker(queue, soft_seconds=30, home=tmp_path)
        assert _wait_for(store, f"{key}:done", 60) == b"2", "the task was not run again"
        _stop(second, 15)  # idle: it stops at once
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
    assert store.get(f"{key}:attempts") == b"2"
