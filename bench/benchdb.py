"""What every benchmark script needs: a database of its own (never dev or test data), on the
server DATABASE_URL names, on 127.0.0.1:5432 when that answers, or else on the embedded
PostgreSQL; and percentiles. Import it first: it also puts the project on sys.path."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
for _path in (REPO_ROOT, REPO_ROOT / "platform"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "noaber.settings")
if not os.environ.get("DEBUG"):
    os.environ["DEBUG"] = "1"  # the settings refuse to start without a SECRET_KEY otherwise


def _with_dbname(url: str, dbname: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + dbname))


def _server_answers(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(_with_dbname(url, "postgres"), connect_timeout=3):
            return True
    except Exception:
        return False


def choose_database(name: str) -> str:
    """Point DATABASE_URL at database ``name`` (or leave it unset for the embedded server).
    Call before Django is set up. Returns a description for the report."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        os.environ["DATABASE_URL"] = _with_dbname(url, name)
        return "DATABASE_URL from the environment, database name replaced"
    local = f"postgres://postgres@127.0.0.1:5432/{name}"
    if _server_answers(local):
        os.environ["DATABASE_URL"] = local
        return "local server 127.0.0.1:5432 (DATABASE_URL was unset)"
    os.environ.pop("DATABASE_URL", None)
    return "embedded PostgreSQL (DATABASE_URL unset, 127.0.0.1:5432 does not answer)"


def _admin_execute(*statements: str) -> None:
    """Run statements on the server's `postgres` database (loading the settings starts the
    embedded server when DATABASE_URL is unset)."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    info = {
        name: db[key]
        for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"))
        if db.get(key)
    }
    if db.get("PORT"):
        info["port"] = db["PORT"]
    with psycopg.connect(dbname="postgres", autocommit=True, **info) as conn:
        for sql in statements:
            conn.execute(sql)


def recreate_database(name: str) -> None:
    from django.conf import settings

    # Embedded server: its settings name the dev database; point them at the bench database.
    settings.DATABASES["default"]["NAME"] = name
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentile(values: list[float], pct: int) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct * len(ordered) / 100))
    return ordered[rank - 1]
