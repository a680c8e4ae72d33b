"""What the gate adds to a person's timeline (issue 19, "the person's timeline marks them"): each finding about
their work, at the work's start, with its rule and what became of it. Findings are the portal's own."""

from __future__ import annotations

from collections.abc import Iterator

from portal.gate.models import Finding
from portal.talent.models import TalentProfile
from portal.talent.timeline import TimelineEntry, TimelineQuery, source_of

__all__ = ["gate_findings"]


def gate_findings(profile: TalentProfile, query: TimelineQuery) -> Iterator[TimelineEntry]:
    if query.requisition or query.source not in ("", source_of(None)[0]):
        return
    for finding in query.window(Finding.objects.filter(profile=profile), "work_starts_at"):
        reason = f" · {finding.reason}" if finding.reason else ""
        yield TimelineEntry(
            finding.work_starts_at,
            *source_of(None),
            kind="finding",
            title=f"Gate: {finding.get_rule_display()} ({finding.get_severity_display().lower()}, "
            f"{finding.get_state_display().lower()})",
            detail=f"{finding.work_title} — {finding.message}{reason}",
        )
