"""Log lines stamped in UTC whatever the process's zone: Django sets the process zone to `TIME_ZONE` (New York in
the demo), so the logging module's default local stamps disagreed with the machine, the database and the vendors."""

from __future__ import annotations

import logging
import time

__all__ = ["UTCFormatter"]


class UTCFormatter(logging.Formatter):
    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
