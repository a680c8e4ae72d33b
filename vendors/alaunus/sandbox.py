"""Alaunus's fake: the sixteen collections of the doc, an Ontario home-care agency's records, page paging.

Faithful to the doc where it speaks (the bare `Authorization: <api key>`, the attributes and their subdocuments,
`_deleted_dates` on deleted records) and to the choices in `paths.py` where it does not (`?page=&limit=` with a
`{"data", "page", "limit", "total"}` envelope, `?updated_since=` on objects with a last-updated date, errors as
`{"error": {"code", "message"}}` and field errors as `{"errors": {field: [messages]}}` with HTTP 422).
Alaunus sends no webhooks, so neither does this. Deleted records stay listed, with `_deleted_dates`, because
that is how a reader learns of the deletion. The agency, its records and how they change (`edit()`, `delete()`,
`tick()`) are in `sandbox_world.py`; this module is the HTTP face.
"""

from __future__ import annotations

import re
from typing import Any

from vendors.alaunus.paths import (
    INCREMENTAL_COLLECTIONS,
    LIMIT_PARAM,
    MAX_PAGE_SIZE,
    PAGE_PARAM,
    UPDATED_SINCE_PARAM,
)
from vendors.alaunus.sandbox_world import SERVICES, AlaunusWorld, iso, now, parse_instant
from vendors.base.sandbox import Request, Response, SandboxVendor, route

__all__ = ["AlaunusSandbox"]


def _error(status: int, code: str, message: str) -> Response:
    return Response(status, {"error": {"code": code, "message": message}})


def _invalid(errors: dict[str, list[str]]) -> Response:
    return Response(422, {"error": {"code": "validation_failed", "message": "Validation failed"}, "errors": errors})


class AlaunusSandbox(AlaunusWorld, SandboxVendor):
    """`seed(count)`: `count` patients and caregivers, about three visits each, their punchcards and money."""

    name = "alaunus"

    def __init__(self, *, api_key: str = "sandbox-alaunus-key", seed: int = 20) -> None:
        self.api_key = api_key
        super().__init__(seed=seed)

    def authenticate(self, request: Request) -> Response | None:
        key = request.headers.get("authorization", "")
        if not key:
            return _error(401, "unauthorized", "Missing Authorization header: send your API key.")
        if key != self.api_key:  # "Bearer <key>" is refused too: the doc's header is the bare key
            return _error(401, "unauthorized", "Invalid API key.")
        return None

    @staticmethod
    def _number(request: Request, name: str, default: int, errors: dict[str, list[str]], top: int) -> int:
        text = request.query.get(name, [str(default)])[0]
        if not text.isdigit() or not 1 <= int(text) <= top:
            errors.setdefault(name, []).append(f"Must be a whole number from 1 to {top}.")
            return default
        return int(text)

    @route("GET", "/(?P<collection>[a-z]+)")
    def list_records(self, request: Request, collection: str) -> Response:
        if collection not in self.data:
            return _error(404, "not_found", f"Unknown collection {collection!r}.")
        errors: dict[str, list[str]] = {}
        page = self._number(request, PAGE_PARAM, 1, errors, 10**6)
        limit = self._number(request, LIMIT_PARAM, 100, errors, MAX_PAGE_SIZE)
        records = list(self.data[collection].values())
        since_text = request.query.get(UPDATED_SINCE_PARAM, [""])[0]
        if since_text:
            since = parse_instant(since_text)
            if collection not in INCREMENTAL_COLLECTIONS:
                errors[UPDATED_SINCE_PARAM] = [f"{collection} have no last-updated date."]
            elif since is None:
                errors[UPDATED_SINCE_PARAM] = ["An ISO 8601 time with a zone."]
            else:
                records = [r for r in records if parse_instant(r["_last_updated_date"]) >= since]
        for name in ("patient", "user"):  # the filters the portal uses to find what it may have sent
            wanted = request.query.get(name, [""])[0]
            if wanted:
                records = [r for r in records if _ref(r.get(name)) == wanted]
        if errors:
            return _invalid(errors)
        chunk = records[(page - 1) * limit : page * limit]
        return Response(200, {"data": chunk, "page": page, "limit": limit, "total": len(records)})

    @route("GET", "/(?P<collection>[a-z]+)/(?P<record_id>[^/]+)")
    def retrieve(self, request: Request, collection: str, record_id: str) -> Response:
        record = self.data.get(collection, {}).get(record_id)
        if record is None:
            return _error(404, "not_found", f"No {collection} record {record_id}.")
        return Response(200, record)

    def _event_errors(self, body: dict[str, Any], *, partial: bool) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if not isinstance(body, dict):
            return {"__all__": ["The body must be a JSON object."]}
        for name in ("patient", "start", "end"):
            if not partial and not body.get(name):
                errors[name] = ["This field is required."]
        if body.get("patient") and body["patient"] not in self.data["patients"]:
            errors["patient"] = [f"No patient {body['patient']}."]
        for name in ("start", "end"):
            if body.get(name) and parse_instant(body[name]) is None:
                errors[name] = ["An ISO 8601 time with a zone."]
        if (
            not errors
            and body.get("start")
            and body.get("end")
            and parse_instant(body["end"]) <= parse_instant(body["start"])
        ):
            errors["end"] = ["Must be after start."]
        for position, attendee in enumerate(body.get("attendees") or []):
            if _ref(attendee.get("user") if isinstance(attendee, dict) else attendee) not in self.data["users"]:
                errors[f"attendees[{position}]"] = ["No such user."]
        if body.get("_group") and _ref(body["_group"]) not in self.data["eventsgroups"]:
            errors["_group"] = [f"No eventsgroup {_ref(body['_group'])}."]
        return errors

    def _link_group(self, event: dict[str, Any], group_id: str | None) -> None:
        """An event belongs to one group, which lists it in `events` (doc, "Eventsgroups": all the events in it)."""
        for group in self.data["eventsgroups"].values():
            if event["_id"] in group.get("events", []) and group["_id"] != group_id:
                group["events"] = [e for e in group["events"] if e != event["_id"]]
        if group_id:
            listed = self.data["eventsgroups"][group_id].setdefault("events", [])
            if event["_id"] not in listed:
                listed.append(event["_id"])

    def _apply_event(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if body.get("patient"):
            patient = self.data["patients"][body["patient"]]
            event["patient"] = {"_id": patient["_id"], "name": patient["name"]}
            event.setdefault("location", patient["locations"][0])
        for name in ("start", "end", "status", "notes"):
            if name in body:
                event[name] = body[name]
        if "_group" in body:
            event["_group"] = _ref(body["_group"]) or None
            self._link_group(event, event["_group"])
        if body.get("service"):
            event["service"] = next((s for s in SERVICES if s["_id"] == body["service"]), {"_id": body["service"]})
        if "attendees" in body:
            service = event.get("service") or {}
            event["attendees"] = [
                {
                    "_id": user["_id"],
                    "name": user["name"],
                    "pay_rate": service.get("pay_rate"),
                    "bill_rate": service.get("bill_rate"),
                    "status": "confirmed",
                }
                for user in (self.data["users"][_ref(a.get("user"))] for a in body["attendees"])
            ]
        event["duration"] = (parse_instant(event["end"]) - parse_instant(event["start"])).total_seconds() / 3600
        event["_last_updated_date"] = now()

    @route("POST", "/events")
    def create_event(self, request: Request) -> Response:
        body = request.json()
        if errors := self._event_errors(body, partial=False):
            return _invalid(errors)
        event = self._add("events", {"status": "scheduled", "stat_holiday": False, "attendees": []})
        self._apply_event(event, body)
        return Response(201, event)

    @route("PUT", "/events/(?P<record_id>[^/]+)")
    def update_event(self, request: Request, record_id: str) -> Response:
        event = self.data["events"].get(record_id)
        if event is None:
            return _error(404, "not_found", f"No events record {record_id}.")
        body = request.json()
        if errors := self._event_errors(body, partial=True):
            return _invalid(errors)
        merged = {"start": event["start"], "end": event["end"], **{k: v for k, v in body.items() if v}}
        if parse_instant(merged["end"]) <= parse_instant(merged["start"]):
            return _invalid({"end": ["Must be after start."]})
        self._apply_event(event, body)
        return Response(200, event)

    @route("PUT", "/punchcards/(?P<record_id>[^/]+)")
    def correct_punchcard(self, request: Request, record_id: str) -> Response:
        card = self.data["punchcards"].get(record_id)
        if card is None:
            return _error(404, "not_found", f"No punchcards record {record_id}.")
        actual = (request.json() or {}).get("actual") or {}
        start, end = parse_instant(actual.get("start")), parse_instant(actual.get("end"))
        if start is None or end is None or end <= start:
            return _invalid({"actual.end": ["Actual start and end, the end after the start."]})
        card["actual"] = {"start": iso(start), "end": iso(end), "duration": (end - start).total_seconds() / 3600}
        return Response(200, card)

    @route("POST", "/eventsgroups")
    def create_group(self, request: Request) -> Response:
        body = request.json()
        if errors := rule_errors(body, None):
            return _invalid(errors)
        fields = {key: body[key] for key in GROUP_FIELDS if key in body}
        return Response(201, self._add("eventsgroups", {**fields, "events": []}))

    @route("PUT", "/eventsgroups/(?P<record_id>[^/]+)")
    def update_group(self, request: Request, record_id: str) -> Response:
        group = self.data["eventsgroups"].get(record_id)
        if group is None:
            return _error(404, "not_found", f"No eventsgroups record {record_id}.")
        body = request.json()
        if errors := rule_errors(body, group):
            return _invalid(errors)
        ending = {"count", "until"} & {key for key in body if body[key] is not None}
        for key in {"count", "until"} - ending if ending else ():  # the rule's end sent replaces the other one
            group.pop(key, None)
        group.update({key: body[key] for key in GROUP_FIELDS if key in body})
        return Response(200, group)

    @route("POST", "/(?P<collection>usersnotes|patientsprogressnotes)")
    def create_simple(self, request: Request, collection: str) -> Response:
        body = request.json()
        if not isinstance(body, dict) or not body:
            return _invalid({"__all__": ["The body must be a JSON object."]})
        return Response(201, self._add(collection, body))


# The eventsgroups attributes of the doc that a write sets (`events` is Alaunus's own list of its events).
GROUP_FIELDS = ("freq", "interval", "byweekday", "bymonthday", "count", "until", "wkst", "start", "end", "dtstart")
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAY = re.compile(r"^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$")


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def rule_errors(body: Any, group: dict[str, Any] | None) -> dict[str, list[str]]:
    """A group write checked as RFC 5545 (section 3.3.10) checks a rule, with the existing group's values where the
    body leaves one out (an update)."""
    if not isinstance(body, dict) or not body:
        return {"__all__": ["The body must be a JSON object."]}
    rule = {**(group or {}), **body}
    errors: dict[str, list[str]] = {}
    if str(rule.get("freq") or "").upper() not in FREQUENCIES:
        errors["freq"] = [f"One of {', '.join(FREQUENCIES)}."]
    for name in ("start", "end", "until"):
        if rule.get(name) is not None and parse_instant(rule[name]) is None:
            errors[name] = ["An ISO 8601 time with a zone."]
    if rule.get("start") is None:
        errors["start"] = ["This field is required."]
    elif rule.get("end") and "end" not in errors and parse_instant(rule["end"]) <= parse_instant(rule["start"]):
        errors["end"] = ["Must be after start."]
    if not _whole(rule.get("interval", 1), 1, 366):
        errors["interval"] = ["A whole number from 1 to 366."]
    if rule.get("count") is not None and not _whole(rule["count"], 1, 1000):
        errors["count"] = ["A whole number from 1 to 1000."]
    ends = {key for key in ("count", "until") if body.get(key) is not None} or {
        key for key in ("count", "until") if rule.get(key) is not None
    }
    if len(ends) > 1:
        errors["until"] = ["Give count or until, not both (RFC 5545)."]
    days = rule.get("byweekday") or []
    if not isinstance(days, list) or not all(WEEKDAY.match(str(day).upper()) for day in days):
        errors["byweekday"] = ["Weekday codes MO to SU, optionally with an ordinal (+1MO, -1FR)."]
    return errors


def _ref(value: Any) -> str:
    """An embedded reference (`{"_id": ...}`) or a bare id."""
    return str(value.get("_id") or "") if isinstance(value, dict) else str(value or "")
