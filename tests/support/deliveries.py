"""A stream of IntelyCare status deliveries as a vendor really sends them (issue 14): each shift's own history in
vendor time, the shifts interleaved, about 10 % of deliveries repeated and about 5 % arriving after newer ones.
Shared by the loopback test (tests/integrations/test_webhook_order.py) and bench/webhook_ingest.py, which check the
same three things afterwards: nothing lost, nothing applied twice, no shift in a state in-order delivery would
not give.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass

__all__ = ["Stream", "Verdict", "make_stream", "verdict"]

T0 = dt.datetime(2024, 1, 17, 15, tzinfo=dt.UTC)
# A shift's life at IntelyCare: filled, perhaps given back and filled again, then worked or deleted.
LIVES = (
    ("Accepted",),
    ("Accepted", "Completed"),
    ("Accepted", "Released"),
    ("Accepted", "Deleted"),
    ("Accepted", "Released", "Accepted"),
    ("Accepted", "Released", "Accepted", "Completed"),
    ("Accepted", "Released", "Accepted", "Released", "Accepted", "Completed"),
)
_REPORTED = {"Accepted": "filled", "Released": "open", "Completed": "completed", "Deleted": "cancelled"}


def professional(n: int) -> dict[str, str]:
    return {"id": str(9000 + n), "firstName": f"Nurse{n}", "lastName": "Loopback", "email": f"nurse{n}@loop.test"}


@dataclass
class Stream:
    deliveries: list[bytes]  # in the order they are sent
    expected: dict[str, tuple[str, str | None, dt.datetime]]  # externalShiftId -> (status, email, vendor time)
    distinct: int  # distinct events among the deliveries


def make_stream(shift_ids: list[str], deliveries: int, *, seed: int = 14) -> Stream:
    """About `deliveries` bodies for these shifts: histories in vendor order, interleaved, then repeats and
    late arrivals. `expected` is what applying each shift's history in vendor order gives, worked out here
    without the portal's code."""
    rng = random.Random(seed)
    timeline, expected = [], {}
    for shift_id in shift_ids:
        at, status, email = T0 + dt.timedelta(seconds=rng.randrange(3600)), None, None
        for step in rng.choice(LIVES):
            at += dt.timedelta(minutes=rng.randrange(1, 240))
            body = {"clientId": 1234, "externalShiftId": shift_id, "shiftStatus": step, "statusTimestamp": at}
            if step == "Accepted":
                body["healthcareProfessional"] = professional(rng.randrange(40))
                email = body["healthcareProfessional"]["email"]
            elif step == "Released":
                email = None
            status = _REPORTED[step]
            timeline.append((at, json.dumps(body, default=lambda t: t.isoformat().replace("+00:00", "Z")).encode()))
            if len(timeline) * 1.1 >= deliveries:
                break
        expected[shift_id] = (status, email, at)
        if len(timeline) * 1.1 >= deliveries:
            break
    sent = [body for _, body in sorted(timeline)]
    distinct = len(sent)
    for _ in range(distinct // 20):  # ~5 %: an event overtaken by up to 30 newer ones
        i = rng.randrange(len(sent))
        sent.insert(min(len(sent), i + rng.randint(2, 30)), sent.pop(i))
    for _ in range(distinct // 10):  # ~10 %: a redelivery, soon or much later
        i = rng.randrange(len(sent))
        sent.insert(min(len(sent), i + rng.randint(1, 500)), sent[i])
    return Stream(sent, {key: value for key, value in expected.items() if value[0]}, distinct)


@dataclass
class Verdict:
    lost: int
    applied_twice: int
    wrong: list[str]

    def __str__(self) -> str:
        return f"lost {self.lost}, applied twice {self.applied_twice}, wrong final state {len(self.wrong)}"


def verdict(connection, stream: Stream) -> Verdict:
    """Compare the database with the stream: every distinct delivery stored once and applied, no event's change
    recorded twice, every shift in its expected state."""
    from django.contrib.contenttypes.models import ContentType

    from portal.core.models import AuditEntry
    from portal.integrations.models import WebhookEvent
    from portal.shifts.models import ShiftRequest

    sent = {f"sha256:{hashlib.sha256(body).hexdigest()}" for body in stream.deliveries}
    events = WebhookEvent.objects.filter(connection=connection).exclude(state=WebhookEvent.State.DUPLICATE)
    processed = Counter(events.filter(state=WebhookEvent.State.PROCESSED).values_list("dedupe_key", flat=True))
    lost = len(sent - set(processed))
    stored_twice = sum(count - 1 for count in processed.values())
    shift_type = ContentType.objects.get_for_model(ShiftRequest)
    audits = Counter(
        AuditEntry.objects.filter(source="webhook", content_type=shift_type).values_list("detail", flat=True)
    )
    changed_twice = sum(count - 1 for count in audits.values())
    wrong = []
    shifts = ShiftRequest.objects.filter(connection=connection, external_shift_id__in=list(stream.expected))
    for shift in shifts.select_related("assigned_professional"):
        professional = shift.assigned_professional
        state = (shift.status, professional.email if professional else None, shift.status_changed_at)
        if state != stream.expected[shift.external_shift_id]:
            wrong.append(f"{shift.external_shift_id}: {state} != {stream.expected[shift.external_shift_id]}")
    return Verdict(lost=lost, applied_twice=stored_twice + changed_twice, wrong=wrong)
