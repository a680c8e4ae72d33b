"""Talent services that vendor mappings call: one person, however many vendors know them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from portal.integrations.models import VendorConnection
from portal.talent.models import TalentProfile, TalentReference, normalise_email

__all__ = ["match_or_create_profile"]


def match_or_create_profile(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    connection: VendorConnection | None = None,
    external_id: str = "",
    vendor_updated_at: dt.datetime | None = None,
    vendor_data: dict[str, Any] | None = None,
) -> TalentProfile:
    """The profile for a person a vendor reports, creating it (and the vendor's reference) when new.

    Matching order: the vendor's own reference first (the person may have changed email at that vendor), then
    the normalised email. Blank local fields are filled from the vendor; filled ones are left alone, because a
    second vendor must not overwrite what the first (or a coordinator) said. A reference only takes a newer
    payload (`vendor_updated_at`), so out-of-order deliveries do not roll it back.
    """
    key = normalise_email(email)
    with transaction.atomic():
        reference = _existing_reference(connection, external_id)
        profile = reference.profile if reference else _profile_by_email(key)
        if profile is None:
            profile = _create_profile(key, first_name=first_name, last_name=last_name, phone=phone)
        else:
            _fill_blanks(profile, email=key, first_name=first_name, last_name=last_name, phone=phone)
        if connection is not None and external_id:
            _store_reference(reference, profile, connection, external_id, key, vendor_updated_at, vendor_data or {})
    return profile


def _existing_reference(connection: VendorConnection | None, external_id: str) -> TalentReference | None:
    if connection is None or not external_id:
        return None
    return (
        TalentReference.objects.select_related("profile")
        .select_for_update()
        .filter(connection=connection, external_id=external_id)
        .first()
    )


def _profile_by_email(key: str) -> TalentProfile | None:
    return TalentProfile.objects.filter(email=key).first() if key else None


def _create_profile(key: str, **names: str) -> TalentProfile:
    """Two deliveries of the same new person may race; the unique email decides, the loser re-reads."""
    try:
        with transaction.atomic():
            return TalentProfile.objects.create(email=key, **names)
    except IntegrityError:
        profile = _profile_by_email(key)
        if profile is None:
            raise
        return profile


def _fill_blanks(profile: TalentProfile, **values: str) -> None:
    changed = [field for field, value in values.items() if value and not getattr(profile, field)]
    if "email" in changed and TalentProfile.objects.filter(email=values["email"]).exists():
        changed.remove("email")  # another profile already owns this address; never merge two people silently
    for field in changed:
        setattr(profile, field, values[field])
    if changed:
        profile.save()


def _store_reference(
    reference: TalentReference | None,
    profile: TalentProfile,
    connection: VendorConnection,
    external_id: str,
    email: str,
    vendor_updated_at: dt.datetime | None,
    vendor_data: dict[str, Any],
) -> None:
    if reference is None:
        TalentReference.objects.create(
            profile=profile,
            connection=connection,
            external_id=external_id,
            email=email,
            vendor_updated_at=vendor_updated_at,
            vendor_data=vendor_data,
        )
        return
    if not reference.is_newer_than_stored(vendor_updated_at):
        return
    reference.email = email
    reference.vendor_updated_at = vendor_updated_at or reference.vendor_updated_at
    reference.vendor_data = vendor_data or reference.vendor_data
    reference.save()
