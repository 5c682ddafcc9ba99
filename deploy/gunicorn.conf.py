"""Gunicorn settings for the Noaber web role, tunable through the environment.

Threads (gthread) rather than more processes: each process holds a full Django + DRF import
(~100 MB), while a thread costs little. django-tenants keeps the connection and its search_path
per thread, so threads are safe. Every worker thread may hold one persistent database
connection (CONN_MAX_AGE=60): size PostgreSQL/PgBouncer for workers x threads x pods.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or os.environ.get("WEB_CONCURRENCY") or 3)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
# SIGTERM (a deploy, a scale-down): stop accepting, let requests in progress finish for up to
# this long, then stop. Keep preStop sleep + graceful_timeout below the pod's
# terminationGracePeriodSeconds (tests/deploy/test_manifests.py checks it).
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 30)
keepalive = 5

# Recycle workers now and then so slow leaks cannot grow without bound, and so no PostgreSQL
# backend keeps the catalog caches of more than ~275 cooperatives (1,100 requests over 4
# threads; 750 kB each, measured by bench/load.py: deploy/README.md, "Capacity").
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 1000)
max_requests_jitter = max_requests // 10

# Heartbeat files on tmpfs, not on the (read-only) image filesystem.
worker_tmp_dir = "/dev/shm"  # noqa: S108

# Logs to stdout/stderr for the container runtime: one JSON object a line, like Django's (the
# access line carries the request id the app returned in X-Request-ID).
accesslog = "-"
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "info").lower()
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s"
_json = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(message)s",
    "timestamp": "time",
    "rename_fields": {"levelname": "level", "name": "logger"},
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": _json},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def child_exit(server, worker):
    """A worker process ended: its Prometheus counts stop being live (noaber.metrics)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# gunicorn >= 25.1 opens a control socket under $HOME; the home directory is read-only and
# nothing uses it. (Older gunicorn ignores this unknown setting.)
control_socket_disable = True
