"""Settings come from the environment; production refuses to start insecurely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parents[2]


PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "q8V3nJ0rZl5xW2mK9tB7cY4hP1sD6fG0aL3eR8uI5oN2vC7bX4zM9kT1jH6wQ",
    "DATABASE_URL": "postgres://noaber@db.internal:5432/noaber",
    "PLATFORM_DOMAIN": "noaber.nl",
    "ALLOWED_HOSTS": "noaber.nl,.noaber.nl",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what a production host would set: none of this test run's own variables leak in.
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "noaber.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("secret", ["", "too-short", "django-insecure-" + "x" * 60, "a" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = run_manage("check", env={**PROD_ENV, "SECRET_KEY": secret})
    assert result.returncode != 0
    assert "SECRET_KEY ontbreekt of is te zwak" in result.stderr


def test_makemigrations_check_is_clean(db):
    """Every model change has its migration."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_without_database_url_is_a_clear_error():
    env = {k: v for k, v in PROD_ENV.items() if k != "DATABASE_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL ontbreekt" in result.stderr


def test_importing_the_settings_starts_nothing(tmp_path):
    """Without DATABASE_URL, even in development, importing the settings neither starts the
    embedded PostgreSQL nor creates its data folder: it says what is missing."""
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean.update(
        {"DEBUG": "1", "NOABER_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": "platform"}
    )
    result = subprocess.run(
        [sys.executable, "-c", "import noaber.settings"],
        cwd=REPO_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL ontbreekt" in result.stderr
    assert not (tmp_path / "data").exists()


def _conn_max_age(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean.update({**PROD_ENV, **env, "PYTHONPATH": "platform"})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import noaber.settings as s; print(s.DATABASES['default']['CONN_MAX_AGE'])",
        ],
        cwd=REPO_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_connection_age_comes_from_the_environment():
    """CONN_MAX_AGE bounds how long a database connection (and the catalog caches its backend
    builds per cooperative schema) lives: 60 s unless the deployment says otherwise, and a
    value that is not a number is refused with a clear message."""
    assert _conn_max_age({}).stdout.strip() == "60"
    assert _conn_max_age({"CONN_MAX_AGE": "300"}).stdout.strip() == "300"
    refused = _conn_max_age({"CONN_MAX_AGE": "lang"})
    assert refused.returncode != 0
    assert "CONN_MAX_AGE moet een geheel getal zijn" in refused.stderr
