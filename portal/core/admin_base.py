"""The base of every portal ModelAdmin: Django admin answering a tampered or mistyped post with a form error, not
a 500.

Three places in Django's admin trust posted values: an autocomplete field re-rendering a refused form looks its
posted ids up in the database as they are ("abc" for an integer key raises); a change list's action form reads its
`index` with `int()`; and an emptied JSON field that may be blank but not null is saved as NULL. Only admins reach
these pages, but a mistyped id or a tampered post must still get an answer (tests/test_admin_hostile_input.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse

__all__ = ["PortalModelAdmin"]


class _KnownIdsOnly:
    """An autocomplete widget that shows only posted ids its target field can hold; the form already refuses the
    rest with "Select a valid choice"."""

    field: models.Field

    def optgroups(self, name: str, value: list[str], attr: dict | None = None) -> list:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [v for v in value if _holds(target, v)], attr)


def _holds(field: models.Field, value: Any) -> bool:
    if value in (None, ""):
        return True
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class _Select(_KnownIdsOnly, AutocompleteSelect):
    pass


class _SelectMultiple(_KnownIdsOnly, AutocompleteSelectMultiple):
    pass


class _JSONOrDefault(forms.JSONField):
    """Empty input is the model field's default (`[]`, `{}`), not None, when the column may not be NULL."""

    def __init__(self, *, default: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.default = default

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values and not self.disabled:
            return self.default()
        return super().to_python(value)


class PortalModelAdmin(admin.ModelAdmin):
    # Rows the portal's machinery writes (sends, runs, heartbeats): looked up here, never typed in.
    machine_made = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not self.machine_made and super().has_add_permission(request)

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.JSONField) and db_field.blank and not db_field.null:
            kwargs.setdefault("form_class", _JSONOrDefault)
            kwargs.setdefault("default", db_field.get_default)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = _Select(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = _SelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request: HttpRequest, queryset: models.QuerySet) -> HttpResponse | None:
        try:
            int(request.POST.get("index", 0))
        except ValueError:
            self.message_user(request, "No action was run: the form was not the one this page sent.", messages.ERROR)
            return None
        return super().response_action(request, queryset)
