"""Values a vendor sent that the portal could not read: stamped with where they came from, logged, and
collected for the sync run or webhook event that wrote them (issue 14, items 3 and 4).

A writer of vendor records (`portal.integrations.sync.apply_page`, `talent.services.match_or_create_profile`)
calls `report_problems` for each record it stored with problems; whoever drives the write (a sync run's page, a
webhook event) wraps it in `collect_problems` and keeps what was reported. The source comes from the audit
context (`sync run 12`, `webhook 34 …`), which the sync and the inbox set already.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from portal.core.audit import current_audit_actor

__all__ = ["collect_problems", "report_problems", "stamped"]

logger = logging.getLogger(__name__)

_collected: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar(
    "vendor_problems", default=None
)


def stamped(problems: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """`problems` as stored on a record: each with the sync run or webhook it came from."""
    source = current_audit_actor().detail
    return {name: {**problem, "source": source} for name, problem in problems.items()}


@contextlib.contextmanager
def collect_problems() -> Iterator[list[dict[str, Any]]]:
    """The records reported with problems inside the block, as `{model, pk, external_id, record, problems}`."""
    found: list[dict[str, Any]] = []
    token = _collected.set(found)
    try:
        yield found
    finally:
        _collected.reset(token)


def report_problems(model: Any, pk: Any, external_id: str, problems: Mapping[str, Mapping[str, str]]) -> None:
    """Log one line for a record stored with unreadable values, and hand it to the collector, if any."""
    if not problems:
        return
    label = model._meta.label_lower
    logger.warning(
        "%s %s (vendor id %s) kept its values of unreadable %s",
        label,
        pk,
        external_id,
        "; ".join(f"{name}={problem.get('raw')}: {problem.get('message')}" for name, problem in problems.items()),
    )
    found = _collected.get()
    if found is not None:
        found.append(
            {
                "model": label,
                "record": f"{model._meta.verbose_name} {external_id or pk}",
                "pk": pk,
                "external_id": external_id,
                "problems": {name: dict(problem) for name, problem in problems.items()},
            }
        )
