"""A task for the worker shutdown test (tests/platform/test_worker_shutdown.py), loaded by the
worker it starts (`--include tests.worker_tasks`). It notes each attempt in Redis, then works
for a while: long on the first attempt when asked, so a shutdown meets it mid-task."""

from __future__ import annotations

import time

import redis
from celery import shared_task


@shared_task(name="tests.worker_tasks.shutdown_probe")
def shutdown_probe(*, broker: str, key: str, first_seconds: float, later_seconds: float) -> int:
    store = redis.Redis.from_url(broker)
    attempt = int(store.incr(f"{key}:attempts"))
    store.set(f"{key}:started", attempt)
    time.sleep(first_seconds if attempt == 1 else later_seconds)
    store.set(f"{key}:done", attempt)
    return attempt
