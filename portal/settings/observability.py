"""Metrics (issue 21). `/metrics` is served only when METRICS_TOKEN is set, and only to a scraper that sends it as
`Authorization: Bearer <token>`; without the setting the endpoint does not exist (404)."""

from __future__ import annotations

from portal.settings.env import env_str

__all__ = ["METRICS_TOKEN"]

METRICS_TOKEN = env_str("METRICS_TOKEN")
