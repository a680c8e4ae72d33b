"""The sections in the navigation bar. A section's page appears when its app registers the URL name;
until then it is shown as not yet available rather than as a broken link."""

from __future__ import annotations

from dataclasses import dataclass

from portal.core.roles import Role

__all__ = ["SECTIONS", "Section"]


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    roles: tuple[Role, ...] = (Role.COORDINATOR, Role.ADMIN)


SECTIONS: tuple[Section, ...] = (
    Section("Shifts", "shifts:board"),
    Section("Visits", "shifts:visits"),
    Section("Jobs", "jobs:requisitions"),
    Section("Clients", "jobs:clients"),
    Section("Facilities", "jobs:facilities"),
    Section("Talent", "talent:people"),
    Section("Engagements", "contracts:engagements"),
    Section("Findings", "gate:findings"),
    Section("Approvals", "billing:approvals"),
    Section("Invoices & payroll", "billing:ledger"),
    Section("Exports", "billing:exports"),
    Section("Integrations", "integrations:overview", roles=(Role.ADMIN,)),
    Section("API tokens", "api-tokens", roles=(Role.API_CLIENT, Role.ADMIN)),
)
