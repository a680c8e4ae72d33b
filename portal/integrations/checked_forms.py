"""A model form that refuses, before saving, what the record's vendor would refuse when the change is pushed.

Domain forms (jobs, contracts) subclass it without naming a vendor: the vendor's own check answers through
`outbound_problems`, keyed by the model's field names, so "Contract length must be one of 1 to 26." lands next to
the field before any outbox row exists (issue #5, forms "validated as above").
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.forms.models import construct_instance

from portal.integrations.models import VendorConnection
from portal.integrations.services import outbound_problems

__all__ = ["VendorCheckedForm"]


def _label(model: type, name: str) -> str:
    """A refused field the form does not show (a synced value in another section, say), named for the top."""
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:  # a vendor-side name with no local field
        return name.replace("_", " ").capitalize()


class VendorCheckedForm(forms.ModelForm):
    """`clean()` asks `push_target()`'s vendor whether it would take `operation` for the record as this form would
    save it (a copy of the instance with the cleaned values; the instance itself stays untouched).

    Problems with a field of this form go next to that field; problems with another field go on top, named, since
    the whole record is sent. No active target means nothing will be pushed, so nothing is refused.
    """

    operation = ""

    def push_target(self) -> VendorConnection | None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        connection = self.push_target()
        if connection is None or not connection.is_active:
            return cleaned
        candidate = construct_instance(self, copy.copy(self.instance), fields=self._meta.fields)
        candidate.connection = connection  # a new record learns its connection only when saved
        for name, problems in outbound_problems(connection, self.operation, candidate).items():
            if name in self.fields:
                if name not in self.errors:  # the form's own message ("Required", a bad date) already says it
                    self.add_error(name, problems)
            elif name == "__all__":
                self.add_error(None, problems)
            else:
                self.add_error(None, [f"{_label(type(candidate), name)}: {problem}" for problem in problems])
        return cleaned
