"""Settings for Celery worker processes that tests start: the test settings, but e-mail
goes to files the test can read (a worker's in-memory outbox is out of the test's reach)."""

import os

from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["TEST_EMAIL_FILE_PATH"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["CELERY_TASK_DEFAULT_QUEUE"]

# The server and workers of one test share a cache of their own (the queue name is unique per
# test): nothing cached in an earlier test, such as the catalogue's filter choices, leaks in.
if "TEST_CACHE_KEY_PREFIX" in os.environ:
    CACHES = {
        name: {**cache, "KEY_PREFIX": os.environ["TEST_CACHE_KEY_PREFIX"]}
        for name, cache in CACHES.items()  # noqa: F405
    }

# Uploaded files (logos, attachments) on disk, shared by the server's processes and the workers
# (an in-memory storage would be private to each process).
if "TEST_MEDIA_ROOT" in os.environ:
    MEDIA_ROOT = os.environ["TEST_MEDIA_ROOT"]
    STORAGES = {
        **STORAGES,  # noqa: F405
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
