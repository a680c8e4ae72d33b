"""What every domain model's Django admin shows the same way: the raw vendor payload read-only and pretty,
the audit history of the record, and related records as links (issue 3's admin requirements).

Lives here until it moves to `portal.core`; other domain apps may import it now.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from portal.core.admin_base import PortalModelAdmin
from portal.core.audit import with_creation_values

__all__ = ["AUDIT_ROWS_SHOWN", "AuditedAdminForm", "VendorRecordAdmin", "admin_link", "linked"]

AUDIT_ROWS_SHOWN = 50


def admin_link(obj: models.Model | None) -> str:
    """A link to the record's admin change page, or its name when it has none."""
    if obj is None:
        return "—"
    meta = obj._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return str(obj)
    return format_html('<a href="{}">{}</a>', url, obj)


def linked(field: str, description: str | None = None) -> Callable[[Any], str]:
    """A `list_display` column showing the related record `field` as a link (pair with list_select_related)."""

    def column(obj: Any) -> str:
        return admin_link(getattr(obj, field))

    column.short_description = description or field.replace("_", " ")
    column.admin_order_field = field
    return column


class AuditedAdminForm(forms.ModelForm):
    """Shows a refused status move as a form error on the field; `save()` would otherwise raise it as a 500."""

    def _post_clean(self) -> None:
        super()._post_clean()  # copies the cleaned data onto the instance
        check_transitions = getattr(self.instance, "check_transitions", None)
        if check_transitions is not None:
            try:
                check_transitions()
            except ValidationError as error:
                self._update_errors(error)


class VendorRecordAdmin(PortalModelAdmin):
    """Base admin for `VendorRecord` + `AuditedModel` models.

    The payload is what the vendor sent, and its unreadable values (`vendor_problems`) what the sync made of it,
    so both are shown but never edited; the fingerprint and timestamps are machinery. Subclasses extend
    `readonly_fields` rather than replace it.
    """

    form = AuditedAdminForm
    readonly_fields: tuple[str, ...] = ("vendor_payload", "vendor_problems", "audit_trail", "created_at", "updated_at")
    exclude: tuple[str, ...] = ("vendor_data", "vendor_fingerprint")
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over the whole table on every page

    @admin.display(description="Raw vendor payload")
    def vendor_payload(self, obj: Any) -> str:
        data = getattr(obj, "vendor_data", None)
        if not data:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(data, indent=2, sort_keys=True, default=str))

    @admin.display(description="Audit history")
    def audit_trail(self, obj: Any) -> str:
        if obj is None or obj.pk is None:
            return "—"
        entries = with_creation_values(obj.audit_history()[:AUDIT_ROWS_SHOWN], obj)
        if not entries:
            return "No recorded changes."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            (
                (
                    f"{entry.at:%Y-%m-%d %H:%M:%S} UTC",
                    entry.get_action_display(),
                    entry.get_source_display(),
                    entry.actor or entry.detail or "—",
                    json.dumps(entry.changes, default=str),
                )
                for entry in entries
            ),
        )
        return format_html(
            "<table><thead><tr><th>When</th><th>What</th><th>Source</th><th>Who</th><th>Changes (old, new)</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            rows,
        )
