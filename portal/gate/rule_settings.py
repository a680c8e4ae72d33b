"""Each rule's severity and limit where a piece of work happens: the facility's setting, else the
organisation's, else the default below (issue 19: "configurable", "per organisation and per facility")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from portal.gate.models import Rule, RuleSetting, Severity

__all__ = ["DEFAULTS", "RuleConfig", "RuleSettings"]


@dataclass(frozen=True)
class RuleConfig:
    severity: str
    limit: Decimal | None = None


DEFAULTS: dict[str, RuleConfig] = {
    Rule.CREDENTIAL_EXPIRED: RuleConfig(Severity.BLOCK),
    Rule.CREDENTIAL_EXPIRING: RuleConfig(Severity.WARN),
    Rule.DO_NOT_HIRE: RuleConfig(Severity.BLOCK),
    Rule.DO_NOT_RETURN: RuleConfig(Severity.BLOCK),
    Rule.OVERLAP: RuleConfig(Severity.BLOCK),
    Rule.REST: RuleConfig(Severity.WARN, Decimal(8)),
    Rule.DAILY_HOURS: RuleConfig(Severity.WARN, Decimal(16)),
    Rule.WEEKLY_HOURS: RuleConfig(Severity.WARN, Decimal(60)),
    Rule.CONSECUTIVE_DAYS: RuleConfig(Severity.WARN, Decimal(6)),
}


class RuleSettings:
    """Every stored setting read once (a handful of rows), then answered from memory for any facility."""

    def __init__(self) -> None:
        self._rows = {(row.rule, row.facility_id): row for row in RuleSetting.objects.all()}

    def for_rule(self, rule: str, facility_id: int | None) -> RuleConfig:
        default = DEFAULTS[rule]
        row = self._rows.get((rule, facility_id)) or self._rows.get((rule, None))
        if row is None:
            return default
        return RuleConfig(row.severity, row.limit if row.limit is not None else default.limit)
