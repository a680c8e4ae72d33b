"""Merging two profiles a coordinator judged to be one person, and undoing it (issue 19, "Who is who").

Everything that names the merged profile moves to the kept one: every foreign key to `TalentProfile` in any app,
found through Django's relations rather than listed here, so a new app's rows move too. The merge keeps the ids
of what moved, so unmerging moves exactly those back. Each moved row gets an audit entry; the suggestion's and
the merge's own changes are audited with the coordinator's name. Nothing here runs without a coordinator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ForeignKey, Model
from django.utils import timezone

from portal.core.audit import audit_context, record_bulk_changes
from portal.gate.models import DuplicateSuggestion, Merge
from portal.talent.models import TalentProfile

__all__ = ["MoveLine", "merge", "preview", "reject", "unmerge"]

State = DuplicateSuggestion.State


@dataclass(frozen=True)
class MoveLine:
    key: str  # "<model label>.<field>"
    label: str  # "Shift requests"
    count: int


def _relations() -> Iterator[tuple[type[Model], str]]:
    for relation in TalentProfile._meta.related_objects:
        if isinstance(relation.field, ForeignKey) and not relation.related_model._meta.abstract:
            yield relation.related_model, relation.field.name


def _key(model: type[Model], field: str) -> str:
    return f"{model._meta.label_lower}.{field}"


def preview(merged: TalentProfile, kept: TalentProfile) -> list[MoveLine]:
    """What would move from `merged` to `kept`: one line per kind of record that has any (one query a kind)."""
    lines = []
    for model, field in _relations():
        count = model._default_manager.filter(**{field: merged}).count()
        if count:
            lines.append(MoveLine(_key(model, field), str(model._meta.verbose_name_plural).capitalize(), count))
    skills = merged.skills.exclude(pk__in=kept.skills.values("pk")).count()
    if skills:
        lines.append(MoveLine("talent.talentprofile.skills", "Skills", skills))
    return lines


def _move(ids_by_key: dict[str, list[int]], source: TalentProfile, target: TalentProfile) -> None:
    for model, field in _relations():
        ids = ids_by_key.get(_key(model, field), [])
        if ids:
            model._default_manager.filter(pk__in=ids, **{field: source}).update(**{field: target})
            record_bulk_changes(model, [(pk, "update", {field: [source.pk, target.pk]}) for pk in ids])


def _refuse_on_conflict(error: IntegrityError) -> ValidationError:
    return ValidationError(
        f"Both people hold a record that may exist only once per person ({error.__cause__ or error}); "
        "settle that record first, then merge."
    )


def merge(suggestion: DuplicateSuggestion, kept: TalentProfile, user: Any) -> Merge:
    """Move everything of the other profile of `suggestion` to `kept`; the other keeps its name, loses its email
    (it must stay unique) and is left with nothing."""
    if kept.pk not in (suggestion.first_id, suggestion.second_id):
        raise ValidationError("Keep one of the two people of this suggestion.")
    merged = suggestion.second if kept.pk == suggestion.first_id else suggestion.first
    moved = {}
    for model, field in _relations():
        ids = list(model._default_manager.filter(**{field: merged}).values_list("pk", flat=True))
        if ids:
            moved[_key(model, field)] = ids
    skills = list(merged.skills.exclude(pk__in=kept.skills.values("pk")).values_list("pk", flat=True))
    try:
        with transaction.atomic(), audit_context("user", user=user, detail=f"merge of suggestion {suggestion.pk}"):
            suggestion.state, suggestion.decided_by = State.MERGED, user
            suggestion.save(update_fields=["state", "decided_by"])
            _move(moved, merged, kept)
            kept.skills.add(*skills)
            values = {"email": merged.email}
            merged.email = ""
            merged.save(update_fields=["email", "updated_at"])
            if values["email"] and not kept.email:
                kept.email = values["email"]
                kept.save(update_fields=["email", "updated_at"])
            return Merge.objects.create(
                suggestion=suggestion,
                kept=kept,
                merged=merged,
                moved={**moved, "talent.talentprofile.skills": skills},
                merged_values=values,
                by=user,
            )
    except IntegrityError as error:
        raise _refuse_on_conflict(error) from error


def unmerge(done: Merge, user: Any) -> None:
    """Move back exactly what the merge moved (rows since moved elsewhere stay), and give the email back."""
    if done.undone_at is not None:
        raise ValidationError("This merge was already undone.")
    kept, merged = done.kept, done.merged
    with transaction.atomic(), audit_context("user", user=user, detail=f"unmerge of merge {done.pk}"):
        _move(done.moved, kept, merged)
        kept.skills.remove(*done.moved.get("talent.talentprofile.skills", []))
        email = done.merged_values.get("email", "")
        if email and kept.email == email:
            kept.email = ""
            kept.save(update_fields=["email", "updated_at"])
        merged.email = email
        merged.save(update_fields=["email", "updated_at"])
        done.undone_at = timezone.now()
        done.save(update_fields=["undone_at"])
        suggestion = done.suggestion
        suggestion.state, suggestion.decided_by = State.UNMERGED, user
        suggestion.save(update_fields=["state", "decided_by"])


def reject(suggestion: DuplicateSuggestion, user: Any) -> None:
    """Not the same person, for good: the pair is kept as rejected, so no later run suggests it again."""
    with audit_context("user", user=user, detail="duplicate review"):
        suggestion.state, suggestion.decided_by = State.REJECTED, user
        suggestion.save(update_fields=["state", "decided_by"])
