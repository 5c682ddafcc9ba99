#!/usr/bin/env bash
# Noaber container entrypoint. One image, several roles:
#
#   web          gunicorn (noaber.wsgi) on 0.0.0.0:8000, tuned by GUNICORN_* (gunicorn.conf.py)
#   worker       celery -A noaber worker        (CELERY_CONCURRENCY, default 2)
#   beat         celery -A noaber beat          (run exactly one)
#   migrate      python manage.py migrate --noinput: the project's own `migrate`, which runs
#                django-tenants' migrate_schemas AND refreshes the template schema that new
#                cooperatives are cloned from. Do not call migrate_schemas directly.
#   wait-for-migrations
#                wait until this image's migrations are in the database (the initContainer of
#                web, worker and beat: new pods start after the migrate Job has finished)
#   manage ARGS  python manage.py ARGS          (e.g. `manage createsuperuser`)
#   healthcheck  GET /healthz on the local web server with Host: $PLATFORM_DOMAIN
#   anything else is executed as given (e.g. the image's default gunicorn CMD, or `bash`).
#
# Extra arguments after a role are passed on: `worker --queues=mail`, `migrate --executor=...`.
set -euo pipefail

APP_DIR="${APP_DIR:-/app}"
cd "$APP_DIR"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-noaber.settings}"

log() { echo "entrypoint: $*" >&2; }

require_env() {
    local name missing=0
    for name in "$@"; do
        if [ -z "${!name:-}" ]; then
            log "$name is not set"
            missing=1
        fi
    done
    if [ "$missing" -ne 0 ]; then
        log "refusing to start; see deploy/env.example"
        exit 64
    fi
}

# Without DATABASE_URL the settings refuse to load; say so before Django does, with the rest.
require_database() { require_env DATABASE_URL SECRET_KEY PLATFORM_DOMAIN; }

# Without CELERY_BROKER_URL tasks run inline (eager) and a worker/beat would have nothing to do.
require_broker() { require_env CELERY_BROKER_URL; }

wait_for_database() {
    python - <<'PY'
import os
import sys
import time

import django

django.setup()
from django.db import connection
from django.db.utils import OperationalError

deadline = time.monotonic() + float(os.environ.get("DB_WAIT_SECONDS", "60"))
while True:
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        if time.monotonic() >= deadline:
            print(f"entrypoint: database not reachable: {exc}", file=sys.stderr)
            sys.exit(1)
        print("entrypoint: waiting for the database...", file=sys.stderr)
        time.sleep(2)
    else:
        connection.close()
        break
PY
}

celery_loglevel="${LOG_LEVEL:-INFO}"

role="${1:-web}"
if [ "$#" -gt 0 ]; then
    shift
fi

case "$role" in
    web)
        require_database
        # Prometheus counts of all gunicorn worker processes, added up by /metrics; emptied
        # at start so counts of a previous container never linger.
        export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-/tmp/prometheus}"
        rm -rf "$PROMETHEUS_MULTIPROC_DIR"
        mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
        exec gunicorn --config "$APP_DIR/gunicorn.conf.py" noaber.wsgi:application "$@"
        ;;
    worker)
        require_database
        require_broker
        # SIGTERM (a deploy) starts Celery's soft shutdown: running tasks get
        # CELERY_SOFT_SHUTDOWN_SECONDS to finish, then what still runs is stopped and handed
        # back to the broker (acks_late). Without the remap SIGTERM waits without a limit and
        # the pod is killed mid-task when its grace period ends.
        export REMAP_SIGTERM="${REMAP_SIGTERM:-SIGQUIT}"
        exec celery -A noaber worker \
            --loglevel="$celery_loglevel" \
            --concurrency="${CELERY_CONCURRENCY:-2}" \
            "$@"
        ;;
    beat)
        require_database
        require_broker
        # The schedule state file must be writable; /tmp is an emptyDir/tmpfs in k8s.
        exec celery -A noaber beat \
            --loglevel="$celery_loglevel" \
            --schedule="${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" \
            --pidfile= \
            "$@"
        ;;
    migrate)
        require_database
        wait_for_database
        exec python manage.py migrate --noinput "$@"
        ;;
    wait-for-migrations)
        require_database
        wait_for_database
        exec python manage.py wait_for_migrations --timeout "${MIGRATE_WAIT_SECONDS:-1800}" "$@"
        ;;
    manage)
        require_database
        exec python manage.py "$@"
        ;;
    healthcheck)
        # http.client, not urllib: a redirect must count as a failure, never be followed.
        exec python - <<'PY'
import http.client
import os
import sys

port = int(os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1])
# Unknown hosts answer 404; without X-Forwarded-Proto SECURE_SSL_REDIRECT answers a 301.
headers = {"Host": os.environ.get("PLATFORM_DOMAIN", "localhost"), "X-Forwarded-Proto": "https"}
try:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/healthz", headers=headers)
    status = connection.getresponse().status
except OSError as exc:
    print(f"healthcheck: {exc}", file=sys.stderr)
    sys.exit(1)
if status != 200:
    print(f"healthcheck: /healthz answered {status}", file=sys.stderr)
    sys.exit(1)
PY
        ;;
    *)
        # Not a role: run the command as given (the Dockerfile's gunicorn CMD lands here).
        case "$role" in
            gunicorn | celery) require_database ;;
        esac
        exec "$role" "$@"
        ;;
esac
