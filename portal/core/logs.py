"""Log lines stamped in UTC whatever the process's zone, as plain text (development) or JSON lines (production).

Django sets the process zone to `TIME_ZONE` (New York in the demo), so the logging module's default local stamps
disagreed with the machine, the database and the vendors. Every record carries the id of the request being
served and of the task being run; a task queued by a request carries that request's id (issue 21), so one
`request_id` finds a coordinator's click and the vendor call a worker made for it on another host.
"""

from __future__ import annotations

import json
import logging
import time
from contextvars import ContextVar
from typing import Any

__all__ = [
    "REQUEST_ID_HEADER",
    "JSONFormatter",
    "UTCFormatter",
    "connect_task_log_context",
    "forget_request_id",
    "install_log_context",
    "request_id_var",
    "task_id_var",
]

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
task_id_var: ContextVar[str] = ContextVar("task_id", default="")
# The Celery message header that carries the queuing request's id to the worker.
REQUEST_ID_HEADER = "portal_request_id"

_STANDARD_ATTRIBUTES = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class UTCFormatter(logging.Formatter):
    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


class JSONFormatter(UTCFormatter):
    """One JSON object per line: time (UTC), level, logger, message, request and task ids, extras, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "task_id": getattr(record, "task_id", ""),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and key not in line and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


def install_log_context() -> None:
    """Stamp the current request and task ids on every record when it is made, in whatever thread logs it later."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "portal_log_context", False):
        return

    def make_record_with_context(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        return record

    make_record_with_context.portal_log_context = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record_with_context)


def forget_request_id(**kwargs) -> None:
    request_id_var.set("")


def connect_task_log_context() -> None:
    """Publishing a task copies the current request id into its headers; running it restores that id."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    def carry_request_id(headers: dict | None = None, **kwargs) -> None:
        if headers is not None and request_id_var.get():
            headers.setdefault(REQUEST_ID_HEADER, request_id_var.get())

    def enter_task(task_id: str = "", task=None, **kwargs) -> None:
        request_id_var.set((task.request.get(REQUEST_ID_HEADER) if task else "") or "")
        task_id_var.set(task_id or "")

    def leave_task(**kwargs) -> None:
        request_id_var.set("")
        task_id_var.set("")

    before_task_publish.connect(carry_request_id, weak=False, dispatch_uid="core-log-request-id")
    task_prerun.connect(enter_task, weak=False, dispatch_uid="core-log-task-enter")
    task_postrun.connect(leave_task, weak=False, dispatch_uid="core-log-task-leave")
