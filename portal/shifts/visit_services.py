"""Home-care visits worked from the portal (issue 23): create one or a series, change one or this-and-following,
cancel with a reason, staff, correct a punchcard.

Each service writes its rows and sends a domain signal (`signals.py`) in one transaction, so a vendor's receiver
(vendors/alaunus/signals.py) writes the outbox row in the same commit. Staffing one visit, or moving a staffed
one, creating one or a series with a caregiver, or moving a series' following visits, asks the gate as booking a
shift does (issue 19, `talent.assignment_gate`): a block refuses, warnings need a reason. The visits are saved
first and checked in the same transaction, so a series' visits count against each other and a refusal saves
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.core.audit import audit_context, current_audit_actor
from portal.core.timezones import to_local
from portal.shifts import signals
from portal.shifts.localtime import shift_instants
from portal.shifts.models import Occurrence, RecurringVisitGroup, Timecard, Visit
from portal.shifts.series import clock_gap_problem, split_rule
from portal.shifts.services import CANCELLATION_REASON
from portal.talent import assignment_gate
from portal.talent.availability import Commitment, commitments
from portal.talent.models import TalentProfile

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = [
    "CHANGEABLE",
    "CaregiverOption",
    "cancel_visit",
    "caregiver_options",
    "change_following",
    "change_visit",
    "correct_punchcard",
    "create_visit",
    "create_visit_series",
    "visit_booking",
]

Status = Visit.Status
# A visit can be changed, staffed or cancelled until it starts being worked.
CHANGEABLE = {Status.SCHEDULED}


def _others(found: Iterable[Commitment], visits: Iterable[Visit]) -> list[Commitment]:
    mine = {("shifts.visit", visit.pk) for visit in visits if visit.pk}
    return [commitment for commitment in found if commitment.ref not in mine]


def _lock(caregiver_id: int) -> None:
    """One booking of a person at a time: two coordinators cannot both pass the gate at once."""
    list(TalentProfile.objects.select_for_update().filter(pk=caregiver_id).values_list("pk"))


def _gate(visits: list[Visit], caregiver: TalentProfile | None, override_reason: str, user: Any) -> None:
    """The saved visits of `caregiver` through the gate, all at once (`AssignmentRefused` rolls them back)."""
    if caregiver is not None and visits:
        bookings = [visit_booking(visit, caregiver) for visit in visits]
        assignment_gate.require_pass_all(bookings, override_reason, user)


def create_visit(
    *,
    patient: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    time_zone: str,
    caregiver: TalentProfile | None = None,
    client: Any = None,
    service_name: str = "",
    notes: str = "",
    connection: VendorConnection | None = None,
    override_reason: str = "",
    user: Any = None,
) -> Visit:
    """One visit, announced by `visit_saved` (created); with a caregiver, once the gate lets it."""
    visit = Visit(
        patient=patient,
        client=client,
        caregiver=caregiver,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        service_name=service_name,
        notes=notes,
        connection=connection,
    )
    with transaction.atomic():
        visit.full_clean(validate_unique=False, validate_constraints=False)
        if caregiver is not None:
            _lock(caregiver.pk)
        visit.save()
        _gate([visit], caregiver, override_reason, user)
        signals.visit_saved.send(Visit, visit=visit, created=True, changed_fields=frozenset())
    return visit


def create_visit_series(
    group: RecurringVisitGroup,
    occurrences: list[Occurrence],
    *,
    notes: str = "",
    client: Any = None,
    override_reason: str = "",
    user: Any = None,
) -> list[Visit]:
    """The group (rule, patient, caregiver, service, connection already set) and one visit per occurrence,
    announced together by `visit_series_created`: Alaunus receives the group and then its events. With a
    caregiver, every occurrence passes the gate (one refusal listing every reason refuses the whole series)."""
    with transaction.atomic():
        if group.caregiver_id:
            _lock(group.caregiver_id)
        group.client = client
        group.full_clean(validate_unique=False, validate_constraints=False)
        group.save()
        visits = []
        for occurrence in occurrences:
            visit = Visit(
                group=group,
                patient=group.patient,
                client=client,
                caregiver=group.caregiver,
                starts_at=occurrence.starts_at,
                ends_at=occurrence.ends_at,
                time_zone=group.time_zone,
                service_name=group.service_name,
                notes=notes,
                connection=group.connection,
            )
            visit.save()
            visits.append(visit)
        _gate(visits, group.caregiver, override_reason, user)
        signals.visit_series_created.send(RecurringVisitGroup, group=group, visits=visits)
    return visits


def visit_booking(visit: Visit, caregiver: TalentProfile) -> assignment_gate.Booking:
    """What the gate is asked when `caregiver` would take `visit` at its (new) times: the visit itself left out of
    their other work. A visit is at a patient's home, not at a facility."""
    about = ("shifts.visit", visit.pk)
    return assignment_gate.Booking(
        caregiver.pk, visit.starts_at, visit.ends_at, None, visit.time_zone, about, str(visit)
    )


def change_visit(visit: Visit, *, override_reason: str = "", user: Any = None, **values: Any) -> frozenset[str]:
    """Change one visit (times, caregiver, service, notes); returns the names of the fields that changed.

    A caregiver given or kept across new times passes the gate first (`assignment_gate.AssignmentRefused`: blocked,
    or warned without `override_reason`, which the gate keeps with `user`).
    """
    if visit.status not in CHANGEABLE:
        raise ValidationError(f"A {visit.get_status_display().lower()} visit cannot be changed.")
    with transaction.atomic():
        for name, value in values.items():
            setattr(visit, name, value)
        changed = frozenset(visit.changed_fields())
        if changed:
            if changed & {"caregiver", "starts_at", "ends_at"} and visit.caregiver_id:
                _lock(visit.caregiver_id)
                assignment_gate.require_pass(visit_booking(visit, visit.caregiver), override_reason, user)
            visit.full_clean(validate_unique=False, validate_constraints=False)
            visit.save()
            signals.visit_saved.send(Visit, visit=visit, created=False, changed_fields=changed)
    return changed


def change_following(
    visit: Visit,
    *,
    start: dt.time,
    end: dt.time,
    caregiver: TalentProfile | None,
    service_name: str,
    override_reason: str = "",
    user: Any = None,
) -> list[Visit]:
    """Change this visit and every later one of its series to new clock times, caregiver and service.

    The series' rule is split at this visit (`series.split_rule`): the first part ends before it, a new group
    carries the rule from here on with the new values; from the first visit on, the group itself changes.
    Later visits move to the new group with their own days kept, and pass the gate with their caregiver.
    Announced by `visit_series_split`.
    """
    if visit.group_id is None:
        raise ValidationError("This visit is not part of a series.")
    if visit.status not in CHANGEABLE:
        raise ValidationError(f"A {visit.get_status_display().lower()} visit cannot be changed.")
    with transaction.atomic():
        group = RecurringVisitGroup.objects.select_for_update().get(pk=visit.group_id)
        first = not group.occurrences(between=(group.starts_at, visit.starts_at - dt.timedelta(microseconds=1)))
        if first:
            ended, following = None, group
        elif not group.occurrences(between=(visit.starts_at, visit.starts_at)):
            raise ValidationError("This visit was moved off its series' days and times: change it on its own.")
        else:
            ended, following = split_rule(group, visit.starts_at)
        day = to_local(visit.starts_at, visit.time_zone).date()
        if problem := clock_gap_problem(day, start, end, following.time_zone):
            raise ValidationError({"start_time": problem})
        following.starts_at, following.ends_at = shift_instants(day, start, end, following.time_zone)
        following.caregiver, following.service_name = caregiver, service_name
        later = list(
            Visit.objects.select_for_update()
            .filter(group=group, starts_at__gte=visit.starts_at, archived_at__isnull=True, status__in=CHANGEABLE)
            .order_by("starts_at")
        )
        spans = [
            Occurrence(*shift_instants(to_local(v.starts_at, v.time_zone).date(), start, end, v.time_zone))
            for v in later
        ]
        if caregiver is not None:
            _lock(caregiver.pk)
        if ended is not None:
            ended.full_clean(validate_unique=False, validate_constraints=False)
            ended.save()
        following.full_clean(validate_unique=False, validate_constraints=False)
        following.save()
        for moved, span in zip(later, spans, strict=True):
            moved.group, moved.caregiver, moved.service_name = following, caregiver, service_name
            moved.starts_at, moved.ends_at = span
            moved.save()
        _gate(later, caregiver, override_reason, user)
        signals.visit_series_split.send(RecurringVisitGroup, ended=ended, following=following, visits=later)
    return later


def cancel_visit(visit: Visit, reason: str) -> None:
    """The coordinator calls the visit off; the reason is kept in its audit entry (`services.cancellation_reason`)."""
    actor = current_audit_actor()
    detail = f"{CANCELLATION_REASON}{reason.strip()}" if reason.strip() else actor.detail
    with transaction.atomic(), audit_context(actor.source, actor.user_id, detail=detail):
        visit.status = Status.CANCELLED
        visit.save(update_fields=["status", "updated_at"])
        signals.visit_cancelled.send(Visit, visit=visit)


def correct_punchcard(card: Timecard, *, check_in: dt.datetime, check_out: dt.datetime, reason: str) -> Timecard:
    """A coordinator's corrected actual times of a visit's punchcard, with why; the deviation marks then clear
    (the week shows the card as corrected, not late or early)."""
    if card.visit_id is None:
        raise ValidationError("Only a visit's punchcard is corrected here.")
    with transaction.atomic():
        card.check_in, card.check_out = check_in, check_out
        card.corrected_at, card.correction_reason = dt.datetime.now(dt.UTC), reason.strip()
        card.full_clean(validate_unique=False, validate_constraints=False)
        card.save()
        signals.punchcard_corrected.send(Timecard, timecard=card)
    return card


class CaregiverOption:
    """A person the visit could be given to, with what they are already booked on at that time and what the
    visit's vendor would refuse of them (`refused`, e.g. someone it knows only as a candidate)."""

    def __init__(self, profile: TalentProfile, busy: list[Commitment], refused: list[str]) -> None:
        self.profile, self.busy, self.refused = profile, busy, refused

    @property
    def free(self) -> bool:
        return not self.busy and not self.refused and not self.profile.do_not_hire


def caregiver_options(
    visit: Visit, candidates: Iterable[TalentProfile], refusals: dict[int, list[str]] | None = None
) -> list[CaregiverOption]:
    """Every candidate with their clashing commitments across vendors, free ones first: one query per source."""
    people = list(candidates)
    found = commitments([p.pk for p in people], visit.starts_at, visit.ends_at)
    refused = refusals or {}
    options = [CaregiverOption(p, _others(found.get(p.pk, []), [visit]), refused.get(p.pk, [])) for p in people]
    return sorted(options, key=lambda o: (not o.free, str(o.profile)))
