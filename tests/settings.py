"""Test-only overrides. The database and broker come from the environment like in
production, so the same suite runs on SQLite (default) and on PostgreSQL + Redis."""

import base64
import os

# Keys for the test run only: fresh each run, inherited by worker processes the tests start.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", base64.urlsafe_b64encode(os.urandom(48)).decode())
os.environ.setdefault("KEY_ENCRYPTION_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
os.environ.setdefault("PORTAL_BASE_URL", "https://portal.test")
os.environ.setdefault("STAFF_MFA_REQUIRED", "0")
# A shared Redis must not carry rate-limit counters or cached rows from one run (or one
# parallel test process) into another; worker processes started by tests inherit the prefix.
os.environ.setdefault(
    "TEST_CACHE_PREFIX",
    f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{base64.b32encode(os.urandom(5)).decode()}",
)

from portal.settings import *  # noqa: F403

CACHES["default"]["KEY_PREFIX"] = os.environ["TEST_CACHE_PREFIX"]  # noqa: F405
ALLOWED_HOSTS = ["testserver", "portal.test", "127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
PAGE_RATE_LIMITS_ENABLED = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
LANGUAGE_CODE = "en"
# Serve static files straight from the source folders (the test server runs without
# collectstatic).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tests never reach the network: foreign documents come from fake fetchers or loopback servers.
VERIFICATION_NETWORK_FETCH = False
