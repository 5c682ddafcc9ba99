"""Settings come from the environment; production refuses to start insecurely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parents[1]
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
