"""URL filters of the billing API: the approvals queue is `?status=pending&contract=..&occurred_after=..`."""

from __future__ import annotations

import django_filters

from portal.billing.models import Transaction

__all__ = ["TransactionFilter"]


class TransactionFilter(django_filters.FilterSet):
    occurred_after = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = Transaction
        fields = ["contract", "beneficiary", "kind", "status", "currency", "connection", "external_id"]
