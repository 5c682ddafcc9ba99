"""Settings for the test suite: the production settings with test-only defaults for what a
developer's machine does not set. DATABASE_URL and CELERY_BROKER_URL still come from outside."""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
os.environ.setdefault("PLATFORM_DOMAIN", "noaber.test")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Tests clone each new schema unless a test fills the pool of spare schemas itself.
os.environ.setdefault("TENANT_SPARE_SCHEMAS", "0")
# The Redis-backed worker test reads the broker from NOABER_TEST_BROKER_URL; the rest of the
# suite runs tasks inline so that on_commit + eager is what each test sees.
if os.environ.get("CELERY_BROKER_URL"):
    os.environ.setdefault("NOABER_TEST_BROKER_URL", os.environ["CELERY_BROKER_URL"])
os.environ["CELERY_BROKER_URL"] = ""
# The cache is each test process's own memory, also where CACHE_URL names a Redis: every test
# clears the cache (tests/conftest.py), and clearing a Redis cache empties its whole database,
# which would wipe what another pytest-xdist worker, or anything else on that Redis, holds.
os.environ["CACHE_URL"] = ""

from django.contrib.auth.hashers import Argon2PasswordHasher

from noaber.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
LANGUAGE_CODE = "nl"


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 as in production (hashes start with "argon2", verify the same way), at the lowest
    cost: the production parameters take 0.14 s a hash, and the suite hashes for every
    cooperative it signs up and every real login it tests."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


PASSWORD_HASHERS = ["noaber.test_settings.FastArgon2PasswordHasher"]
