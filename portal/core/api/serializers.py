"""Serializer pieces every domain API shares."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

__all__ = ["VENDOR_RECORD_FIELDS", "LocalDateTimeField", "ModelCleanMixin"]

# Where a record came from (issue 3): which connection, the vendor's id and timestamp, the payload as last seen.
VENDOR_RECORD_FIELDS = [
    "connection",
    "external_id",
    "vendor_updated_at",
    "vendor_data",
    "vendor_problems",
    "archived_at",
    "created_at",
    "updated_at",
]


class LocalDateTimeField(serializers.DateTimeField):
    """A wall-clock time with its own offset, e.g. the facility's; DRF would otherwise convert it to the server's
    zone and the "23:00 local" the coordinator asked for would read as some other hour."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.isoformat()


class ModelCleanMixin:
    """Runs the model's own `clean()` on the incoming values, so the API refuses exactly what the model refuses
    (one rule, not a copy of it per form and serializer), with its messages under the field names."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance or self.Meta.model()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return attrs
