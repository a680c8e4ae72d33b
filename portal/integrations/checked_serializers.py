"""The REST twin of `checked_forms.VendorCheckedForm`: a serializer that refuses, before anything is saved or
queued, what the record's vendor would refuse when the change is pushed (issue 24: "Django admin and REST follow
the same rules"). Problems come back under the model's field names, in the API's one error shape."""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers

from portal.integrations.models import VendorConnection
from portal.integrations.services import outbound_problems

__all__ = ["VendorCheckedSerializer"]


class VendorCheckedSerializer(serializers.ModelSerializer):
    """`create_operation` for a new record (sent to the `connection` it names), `update_operation` for a change
    (sent to the connection it has, which a change cannot move: `connection` is taken on create only)."""

    create_operation = ""
    update_operation = ""

    def push_target(self, attrs: dict[str, Any]) -> VendorConnection | None:
        return self.instance.connection if self.instance is not None else attrs.get("connection")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None:
            attrs.pop("connection", None)
        connection = self.push_target(attrs)
        if connection is None or not connection.is_active:
            return attrs
        candidate = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        candidate.connection = connection
        operation = self.update_operation if self.instance is not None else self.create_operation
        problems = outbound_problems(connection, operation, candidate)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs
