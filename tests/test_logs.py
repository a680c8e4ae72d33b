"""Log lines carry UTC stamps although Django sets the process zone to TIME_ZONE (issue 17: New York stamps on a
UTC machine)."""

from __future__ import annotations

import datetime as dt
import logging
import logging.config
import time

from django.conf import settings


def test_log_lines_are_stamped_in_utc_whatever_the_process_zone():
    assert time.localtime().tm_gmtoff != 0  # Django runs this process in the portal's zone (New York)
    formatter = logging.config.DictConfigurator({}).configure_formatter(settings.LOGGING["formatters"]["plain"])
    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "hello", None, None)
    record.created = dt.datetime(2026, 7, 1, 12, 0, 5, 250_000, tzinfo=dt.UTC).timestamp()
    record.msecs = 250
    assert formatter.format(record).startswith("2026-07-01T12:00:05.250Z INFO portal hello")
