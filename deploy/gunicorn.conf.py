"""gunicorn in production (`gunicorn --config deploy/gunicorn.conf.py portal.wsgi`): its own lines, the access log
included, as the same JSON lines the portal writes (portal.core.logs.JSONFormatter), on stdout."""

bind = "0.0.0.0:8000"
threads = 4
accesslog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.core.logs.JSONFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    # Until Django's LOGGING takes over the root logger in the worker (the same JSON lines, LOG_FORMAT=json).
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
