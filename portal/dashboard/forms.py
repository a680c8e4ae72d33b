"""The coordinator's Today preferences: the zone their day is read in and the daily digest."""

from __future__ import annotations

from django import forms

from portal.dashboard.models import CoordinatorPreferences

__all__ = ["PreferencesForm"]


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = CoordinatorPreferences
        fields = ["time_zone", "digest_opt_in"]
        labels = {"time_zone": "Your time zone", "digest_opt_in": "E-mail me the daily digest at 07:00"}
        widgets = {"time_zone": forms.TextInput(attrs={"placeholder": "America/Chicago"})}
