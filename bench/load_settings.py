"""Production settings for the load benchmark, plus one trivial route as the stack's ceiling.
Static files are served from the source folders (no collectstatic has run)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Redis is the shared cache here; the demo's issuing runs in-process.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
