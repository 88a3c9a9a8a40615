"""Settings for the Alliance Credentials portal, read from environment variables.

`.env.example` documents every variable. Defaults serve the embedded demo (SQLite, Celery
tasks run in-process, e-mail printed to the console). `DEBUG` is off unless asked for, and
secrets are required when it is off.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from dotenv import load_dotenv

from portal.env import env_bool, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


def _release_fingerprint(root: Path) -> str:
    """The same value in every process started from the same files: the templates' and
    catalogues' names, sizes and modification times."""
    digest = hashlib.sha256()
    for folder in ("templates", "locale"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".html", ".txt", ".po"):
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode()
                )
    return digest.hexdigest()[:16]


# A local `.env` (written by `make run` with freshly generated demo keys) fills in what the
# process environment does not set; real deployments set the environment directly.
load_dotenv(BASE_DIR / ".env", override=False)

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-development-only-not-for-production"
else:
    SECRET_KEY = env_required(
        "SECRET_KEY", "it signs sessions and tokens; generate one with `make secrets`"
    )

PORTAL_BASE_URL = (env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
_base = urlsplit(PORTAL_BASE_URL)
if _base.scheme not in {"http", "https"} or not _base.hostname:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PORTAL_BASE_URL must be an absolute http(s) URL")

# Where the portal's JSON-LD contexts are published: `<base>microcredential/v2` (and v1). The
# portal serves them at `/contexts/`; an alliance that registers a permanent URL (e.g. a w3id.org
# redirect to `<PORTAL_BASE_URL>/contexts/`) sets it here (docs/credential-format.md).
CREDENTIAL_CONTEXT_BASE_URL = (
    env_str("CREDENTIAL_CONTEXT_BASE_URL", f"{PORTAL_BASE_URL}/contexts/") or ""
).rstrip("/") + "/"
if urlsplit(CREDENTIAL_CONTEXT_BASE_URL).scheme not in {"http", "https"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CREDENTIAL_CONTEXT_BASE_URL must be an absolute http(s) URL")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", _base.hostname] if DEBUG else [_base.hostname]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"{_base.scheme}://{_base.netloc}"])

# Private signing keys are stored only wrapped (AES-256-GCM) under this key. It is required
# wherever credentials are signed; the demo generates one into `.env`.
KEY_ENCRYPTION_KEY = env_str("KEY_ENCRYPTION_KEY", "") or ""
if not DEBUG and not KEY_ENCRYPTION_KEY:
    env_required("KEY_ENCRYPTION_KEY", "signing keys are stored wrapped under it")

INSTALLED_APPS = [
    "alliances.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "oauth2_provider",
    "portal",
    "alliances",
    "catalogue",
    "issuance",
    "verification",
    "wallet",
    "recognition",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.UploadSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "alliances.middleware.StaffMFAMiddleware",
    "portal.middleware.ApiProblemMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliances.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}") or "",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs web requests and in-process tasks against one file: wait for the lock
    # instead of failing, and let WAL keep readers off the writer's back.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

REDIS_URL = env_str("REDIS_URL", "")
# Everything kept in the cache can be recomputed or forgotten (cached rows, rate-limit
# counters, throttle histories), so while Redis cannot be reached, reads miss and writes are
# dropped instead of failing the request. Rate limits and API throttles fail open for that
# time: availability is chosen over throttling. /healthz reports the outage.
REDIS_CACHE_BACKEND = "django_redis.cache.RedisCache"
REDIS_CACHE_OPTIONS = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": REDIS_CACHE_BACKEND,
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Signed-in requests read the session from the cache, the database only on a miss.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# An ignored cache failure is still logged, so that an outage shows in the logs.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Celery: with a broker, tasks go to workers; without one, they run in-process (the demo).
_broker_url = env_str("CELERY_BROKER_URL", REDIS_URL) or ""
CELERY_TASK_ALWAYS_EAGER = not _broker_url
# In-process tasks still pass their arguments through a (never connected) producer.
CELERY_BROKER_URL = _broker_url or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
# A web request must not hang when the broker is away: publishing gives up quickly and the
# periodic sweepers re-queue whatever was persisted but not delivered.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Intents persisted while the broker was unreachable are queued again.
    "sweep-stale-credential-intents": {
        "task": "issuance.tasks.sweep_stale_intents",
        "schedule": 60.0,
    },
    # Views of public pages counted in Redis (portal.counters) are written to the database.
    "write-buffered-share-views": {
        "task": "wallet.tasks.write_buffered_share_views",
        "schedule": 60.0,
    },
    "write-buffered-credential-usage": {
        "task": "issuance.tasks.write_buffered_usage",
        "schedule": 60.0,
    },
}
# How stored signing keys become signers; an HSM or KMS backend would replace this class.
SIGNING_KEY_BACKEND = env_str("SIGNING_KEY_BACKEND") or "issuance.signing_keys.WrappedKeyBackend"
CELERY_TIMEZONE = "UTC"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _base.scheme
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Alliance Credentials] "
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Rate limits (sign-in, sign-up, API throttles, public pages) count per client address. Behind
# reverse proxies, set how many of them are yours: the client's address is then the one the
# outermost of them appended to X-Forwarded-For. 0 (the default): the connection's address,
# and X-Forwarded-For is ignored. See portal/client_address.py.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Per-client limits of public pages (portal/ratelimits.py); sign-up, sign-in and password
# reset are limited by allauth (ACCOUNT_RATE_LIMITS), the API by DRF's throttles.
PAGE_RATE_LIMITS_ENABLED = env_bool("PAGE_RATE_LIMITS_ENABLED", True)
PAGE_RATE_LIMITS = {
    "verify": env_str("RATE_LIMIT_VERIFY_PAGE", "30/minute"),
    "shared": env_str("RATE_LIMIT_SHARED_PAGE", "60/minute"),
    "wallet-import": env_str("RATE_LIMIT_WALLET_IMPORT", "20/minute"),
}
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
if not ACCOUNT_RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = False
# API tokens (profile page) expire after this many days; a new one can be created at any time.
API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 90)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Alliance Credentials"
# Institution staff, recognition officers and alliance admins must use a second factor
# before any staff page opens. The demo (DEBUG) leaves it optional so its logins work at once.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", not DEBUG)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"no-reply@{_base.hostname}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
# Dates in English are written the European way (portal/formats/en).
FORMAT_MODULE_PATH = ["portal.formats"]
# Interface languages, named in their own language for the switch in every page's header.
# Each one other than English has a complete catalogue in locale/ (tests/portal/test_translations.py).
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("ca", "Català"),
    ("de", "Deutsch"),
    ("fr", "Français"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")) or "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# No request body may be larger (the largest legitimate one: five 5 MB attachments); routes
# that take one file have their own, smaller limit, checked before the body is read.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 27_262_976)
UPLOAD_LIMITS_BY_ROUTE = {
    "catalogue:results_upload": "RESULTS_UPLOAD_MAX_BYTES",
    "result-upload": "RESULTS_UPLOAD_MAX_BYTES",
    "recognition:targets_upload": "RECOGNITION_TARGETS_UPLOAD_MAX_BYTES",
    "recognition-target-upload": "RECOGNITION_TARGETS_UPLOAD_MAX_BYTES",
    "verification:verify": "CREDENTIAL_UPLOAD_MAX_BYTES",
    "wallet:wallet_import": "CREDENTIAL_UPLOAD_MAX_BYTES",
    "credential-verify": "CREDENTIAL_UPLOAD_MAX_BYTES",
    "presentation-verify": "CREDENTIAL_UPLOAD_MAX_BYTES",
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: unauthenticated API calls then get 401 with a WWW-Authenticate header.
        "alliances.authentication.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.PagePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.problem_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.throttling.ClientAnonRateThrottle",
        "portal.throttling.ClientUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "user": env_str("API_THROTTLE_USER", "1200/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttles count per portal.client_address.client_address; DRF's own reading of
    # X-Forwarded-For follows the same number of proxies wherever it is still used.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance Credentials API",
    "DESCRIPTION": (
        "Joint micro-credential programmes, verifiable credentials and recognition for "
        "European university alliances. Errors are RFC 9457 problem details."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "InstitutionRoleEnum": "alliances.models.InstitutionRole",
        "MembershipRoleEnum": "alliances.models.MembershipRole",
    },
}

# Security headers. `check --deploy` is clean with production values (DEBUG off, https base).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task is noise when tasks run in-process (the demo); workers log it.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}

# Cross-app behaviour (a recorded pass, an issued credential, personal-data export and
# deletion, name locks, demo data) is wired in each app's AppConfig.ready() through the
# signals in catalogue/signals.py, issuance/signals.py, portal/signals.py and the demo
# registry in portal/demo.py: see docs/decisions/catalogue-result-hooks.md.
RESULTS_UPLOAD_MAX_BYTES = 1_048_576
RESULTS_UPLOAD_MAX_ROWS = 5_000

# Verification of credentials (verification): other issuers' did:web documents and status lists
# are fetched over HTTPS from public addresses only (verification/fetching.py); JSON-LD contexts are
# never fetched. Off, foreign documents cannot be checked (reported as such, never as valid).
VERIFICATION_NETWORK_FETCH = env_bool("VERIFICATION_NETWORK_FETCH", True)
VERIFICATION_FETCH_TIMEOUT_SECONDS = env_int("VERIFICATION_FETCH_TIMEOUT_SECONDS", 5)
VERIFICATION_FETCH_MAX_BYTES = env_int("VERIFICATION_FETCH_MAX_BYTES", 2_000_000)
VERIFICATION_FETCH_CACHE_SECONDS = env_int("VERIFICATION_FETCH_CACHE_SECONDS", 300)
# One verification's fetches (status lists, DID documents) share this many seconds in total,
# however many there are and however slowly a server answers; the whole verification stops its
# checks after VERIFICATION_TIME_LIMIT_SECONDS (reported as "could not be checked").
VERIFICATION_FETCH_BUDGET_SECONDS = env_int("VERIFICATION_FETCH_BUDGET_SECONDS", 10)
VERIFICATION_TIME_LIMIT_SECONDS = env_int("VERIFICATION_TIME_LIMIT_SECONDS", 20)
# For tests and local demos only: "https://issuer.example=http://127.0.0.1:8765,..." sends
# requests for that https base to a server on the loopback interface (loopback targets only).
VERIFICATION_FETCH_LOOPBACK_ROUTES = dict(
    route.split("=", 1)
    for route in env_list("VERIFICATION_FETCH_LOOPBACK_ROUTES", [])
    if "=" in route
)
# Largest credential (or presentation) accepted by the verify page, the API and wallet imports.
CREDENTIAL_UPLOAD_MAX_BYTES = env_int("CREDENTIAL_UPLOAD_MAX_BYTES", 1_000_000)
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["credential-verify"] = env_str(  # type: ignore[index]
    "API_THROTTLE_VERIFY", "30/minute"
)
# VC-API issuer clients (OAuth2 client credentials) count like signed-in API users.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["vc-api"] = env_str(  # type: ignore[index]
    "API_THROTTLE_USER", "1200/minute"
)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "credentials:issue": "Issue credentials in the institution's name",
        "credentials:status": "Revoke or suspend credentials issued through the VC-API",
    },
    "DEFAULT_SCOPES": ["credentials:issue", "credentials:status"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: tokens stored only as checksums, never
    # in a query string; only https redirect URIs. (The VC-API uses client credentials only.)
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# OpenID for Verifiable Credential Issuance (wallet delivery): lifetimes of an offer (its
# pre-authorized code), of an access token and of a c_nonce.
WALLET_OFFER_SECONDS = env_int("WALLET_OFFER_SECONDS", 600)
WALLET_ACCESS_TOKEN_SECONDS = env_int("WALLET_ACCESS_TOKEN_SECONDS", 300)
WALLET_NONCE_SECONDS = env_int("WALLET_NONCE_SECONDS", 300)


# Recognition (credit transfer): upload limits and the periodic sweeper that queues checks
# never queued and makes decisions final once their appeal period ends.
RECOGNITION_CREDENTIAL_MAX_BYTES = 262_144
RECOGNITION_ATTACHMENT_MAX_BYTES = 5_242_880
# Attachments in total: per request, and per learner over all their requests.
RECOGNITION_ATTACHMENTS_PER_REQUEST_MAX_BYTES = 26_214_400
RECOGNITION_ATTACHMENTS_PER_LEARNER_MAX_BYTES = 104_857_600
RECOGNITION_TARGETS_UPLOAD_MAX_BYTES = 1_048_576
RECOGNITION_TARGETS_UPLOAD_MAX_ROWS = 2_000
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(  # type: ignore[attr-defined]
    {
        "RecognitionRequestKindEnum": "recognition.models.RequestKind",
        "CaseMessageKindEnum": "recognition.models.MessageKind",
        "RecognitionRequestStatusEnum": "recognition.models.RequestStatus",
        "AppealStatusEnum": "recognition.models.AppealStatus",
        "DecisionOutcomeEnum": "recognition.models.DecisionOutcome",
        "AppealOutcomeEnum": "recognition.models.AppealOutcome",
        "ResultOutcomeEnum": "catalogue.models.ResultOutcome",
        "CredentialKindEnum": "issuance.models.CredentialKind",
    }
)
CELERY_BEAT_SCHEDULE["recognition-sweep"] = {
    "task": "recognition.tasks.sweep_recognition_task",
    "schedule": 600.0,
}

# Public pages and documents served from the shared cache (portal.page_cache): how long a
# rendered page is kept at most (changes replace it at once through content epochs), and the
# release its keys belong to, so that a deployment with new templates never serves old pages.
# Off with DEBUG, where templates change under a running server.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 300)
PAGE_CACHE_RELEASE = env_str("PORTAL_RELEASE", "") or _release_fingerprint(BASE_DIR)
# A stored credential's verification report, kept while nothing it depends on changes.
STORED_VERIFICATION_CACHE_SECONDS = env_int("STORED_VERIFICATION_CACHE_SECONDS", 600)
# Public documents a CDN may keep: DID documents and contexts change rarely, status lists
# change with every revocation or suspension and are kept briefly.
DID_DOCUMENT_MAX_AGE = env_int("DID_DOCUMENT_MAX_AGE", 300)
STATUS_LIST_MAX_AGE = env_int("STATUS_LIST_MAX_AGE", 60)
CELERY_BEAT_SCHEDULE["recognition-escalate-overdue"] = {
    "task": "recognition.tasks.escalate_overdue_cases_task",
    "schedule": 3600.0,
}
