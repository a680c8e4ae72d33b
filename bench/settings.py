"""Benchmark settings: the test settings (PostgreSQL, Redis, DEBUG off) on a benchmark database, plus one bare
view to compare the webhook receiver with."""

from portal.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# As production (portal.settings.base): persistent database connections, not one per request.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
