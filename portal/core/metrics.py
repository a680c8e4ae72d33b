"""Request counts for Prometheus, and the registry `/metrics` serves (issue 21).

Counters live in each process; with several processes (gunicorn workers) set `PROMETHEUS_MULTIPROC_DIR` to an
empty folder shared by them, and prometheus-client adds them up at scrape time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, multiprocess
from prometheus_client.registry import Collector

__all__ = ["REQUESTS", "RequestMetricsMiddleware", "scrape_registry"]

REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests served, by method, route name and status code.",
    ["method", "view", "status"],
)


class RequestMetricsMiddleware:
    """Counts every response by its route's name (a bounded set), never by raw path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        REQUESTS.labels(request.method, view, str(response.status_code)).inc()
        return response


def scrape_registry(*collectors: Collector) -> CollectorRegistry:
    """A registry for one scrape: this process's metrics (or every process's, in multiprocess mode) and `collectors`
    computed now."""
    registry = CollectorRegistry(auto_describe=False)  # describing would run every query twice
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    for collector in collectors:
        registry.register(collector)
    return registry


class _ProcessMetrics(Collector):
    def collect(self) -> Iterable:
        return REGISTRY.collect()
