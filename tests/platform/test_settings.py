"""Settings come from the environment; production refuses to start insecurely."""

import os
import secrets
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


def test_statement_pooling_is_refused_with_a_clear_message():
    """Statement pooling cannot hold a transaction, let alone a cooperative's search path."""
    result = run_manage("check", env={**PROD_ENV, "DATABASE_POOL_MODE": "statement"})
    assert result.returncode != 0
    assert "DATABASE_POOL_MODE='statement' wordt niet ondersteund" in result.stderr


def test_transaction_pooling_turns_server_side_cursors_off():
    """A server-side cursor outlives its transaction, on a connection PgBouncer hands on."""
    show = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(settings.DATABASE_POOL_MODE, d['ENGINE'], d.get('DISABLE_SERVER_SIDE_CURSORS'))"
    )
    pooled = run_manage(
        "shell", "-v", "0", "-c", show, env={**PROD_ENV, "DATABASE_POOL_MODE": "transaction"}
    )
    direct = run_manage("shell", "-v", "0", "-c", show, env=PROD_ENV)
    assert pooled.stdout.split() == ["transaction", "noaber.postgresql_backend", "True"]
    assert direct.stdout.split() == ["session", "noaber.postgresql_backend", "False"]


def env_example() -> dict[str, str]:
    """The variables deploy/env.example sets, with its SECRET_KEY placeholder replaced by a
    random key as the file asks (the placeholder is too short on purpose)."""
    values = {}
    for line in (REPO_ROOT / "deploy" / "env.example").read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.startswith("#") and name.isupper():
            values[name] = value
    assert values["SECRET_KEY"] == "CHANGE-ME"
    values["SECRET_KEY"] = secrets.token_urlsafe(64)
    return values


def test_check_deploy_is_clean_with_the_values_of_env_example():
    env = env_example()
    assert env["DEBUG"] == "0"
    assert env["STRIPE_SECRET_KEY"] and env["STRIPE_CONNECT_WEBHOOK_SECRET"]
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["STRIPE_WEBHOOK_SECRET", "STRIPE_CONNECT_WEBHOOK_SECRET"])
def test_with_stripe_on_both_webhook_secrets_are_required(missing):
    env = {k: v for k, v in env_example().items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"STRIPE_SECRET_KEY is gezet, maar {missing} ontbreekt" in result.stderr


def test_without_stripe_no_webhook_secret_is_needed():
    env = {k: v for k, v in env_example().items() if not k.startswith("STRIPE_")}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secrets_have_no_default_in_the_settings():
    """Every secret comes from the environment: its default in settings.py is empty (the
    development SECRET_KEY exists only with DEBUG=1 and is refused without it, see above)."""
    source = (REPO_ROOT / "platform" / "noaber" / "settings.py").read_text()
    for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_CONNECT_WEBHOOK_SECRET",
                 "EMAIL_HOST_PASSWORD", "SENTRY_DSN", "SECRET_KEY"):  # fmt: skip
        assert f'{name} = env_str("{name}", "")' in source, name


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
