"""The test suite: PostgreSQL and Redis, as production runs them.

PORTAL_TEST_DB and TEST_REDIS_URL let several test runs share one machine without touching each other.
"""

import os

import dj_database_url

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env_str

DEBUG = False
DATABASES = {
    "default": dj_database_url.parse(env_str("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"))
}
DATABASES["default"]["TEST"] = {"NAME": env_str("PORTAL_TEST_DB", "test_portal")}
CELERY_BROKER_URL = env_str("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", "rzDXrtF8wtbjwswrE_KGFD1OIfwjAPkntCg224JpnNU=")
# Playwright runs an event loop in the test thread; Django's ORM refuses to run under one unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Static files come from the finders in tests; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# The suite's Celery worker outlives many tests, and a transactional test's flush recreates content types under new
# ids; the worker must not keep the old ones (production ids never change, so production keeps Django's cache).
PORTAL_FORGET_CONTENT_TYPES_PER_TASK = True
