"""Kamana's fake: the documented V2 endpoints over a stateful account (`sandbox_world`), answering in the doc's
shapes, and sending the six webhook event types when its state changes.

- Auth: `Authorization: Bearer <token>` (default `sandbox-token`), else 401; an `Accept` other than
  `application/vnd.api.v2+json` is refused with 406 ("Using a version that is not supported ... will result in
  an error"). Errors are JSON:API error objects; a body the doc's schema refuses gets 422 with one object per
  problem (`schemas.jsonapi_errors`, the same checks the client runs before sending).
- Paging: clients and contacts by `page[number]`/`page[size]`; the other lists by cursor (`meta.cursor`, sent
  back as `after`), `page_size` records a page. Job requisitions are listed newest change first.
- Kamana-side activity the API cannot cause, for tests and demos, under `/_sandbox/`: create or complete an
  engagement (completing the last open one moves the relationship to `prospect`, doc "Engagement Event"), bulk
  reassignment, deletions, requirement and profile changes.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from vendors.base.sandbox import Request, Response, SandboxVendor, route
from vendors.base.sandbox_cast import CastMember
from vendors.kamana import schemas
from vendors.kamana.paths import ACCEPT
from vendors.kamana.sandbox_catalog import CatalogRoutes
from vendors.kamana.sandbox_world import (
    ENGAGEMENT_ATTRIBUTES,
    REQUIREMENT_ATTRIBUTES,
    KamanaWorld,
    ref,
    resource,
    shaped,
)

__all__ = ["SANDBOX_TOKEN", "KamanaSandbox"]

SANDBOX_TOKEN = "sandbox-token"  # noqa: S105 - the fake account's public test token
ID = "(?P<{}>[^/]+)"
JSONAPI = {"version": "1.0"}


def _error(status: int, title: str, detail: str, pointer: str | None = None) -> Response:
    error: dict[str, Any] = {"status": str(status), "title": title, "detail": detail}
    if pointer:
        error["source"] = {"pointer": pointer}
    return Response(status, {"errors": [error], "jsonapi": JSONAPI})


def _not_found(kind: str) -> Response:
    return _error(404, "Not Found", f"No {kind} with that id in this account.")


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    return int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("o:"))


class KamanaSandbox(CatalogRoutes, SandboxVendor):
    """`seed` is the number of job requisitions; `people` the talent profiles, each with a relationship and an
    engagement on one of the requisitions."""

    name = "kamana"

    def __init__(
        self,
        *,
        seed: int = 20,
        people: int = 4,
        token: str = SANDBOX_TOKEN,
        page_size: int = 100,
        environment: str = "sandbox",
    ) -> None:
        self.people, self.token, self.page_size, self.environment = people, token, page_size, environment
        super().__init__(seed=seed)

    def seed(self, count: int) -> None:
        """`count` job requisitions (50,000 in well under a second per 10,000) over fixed reference data."""
        self.world = KamanaWorld(requisitions=count, people=min(self.people, max(count, 1)))

    def add_cast(self, cast: Sequence[CastMember]) -> None:
        """The demo's people reach the portal as Kamana tells it of them: a `relationship.insert` each."""
        for relationship_id in self.world.add_cast(cast):
            self.send("relationship", "insert", self.world.relationship_object(relationship_id))

    # -- the wire --------------------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        if request.headers.get("authorization", "") != f"Bearer {self.token}":
            return _error(401, "Unauthorized", "A valid Bearer access token is required.")
        if request.headers.get("accept", "") != ACCEPT:
            return _error(406, "Not Acceptable", f"Unsupported API version; use Accept: {ACCEPT}.")
        return None

    def _checked(self, build: Callable[..., dict], *args: Any, **kwargs: Any) -> dict | Response:
        try:
            return build(*args, **kwargs)
        except schemas.PayloadInvalid as invalid:
            return Response(422, {"errors": schemas.jsonapi_errors(invalid), "jsonapi": JSONAPI})

    def _missing(self, kind: str) -> Response:
        return _not_found(kind)

    def _invalid(self, detail: str, pointer: str) -> Response:
        return _error(422, "Invalid value", detail, pointer)

    def _one(self, kind: str, record_id: str, attrs: dict, relationships: dict | None = None, **extra: Any):
        return Response(200, {"data": resource(kind, record_id, attrs, relationships), "jsonapi": JSONAPI, **extra})

    def _cursor_list(self, request: Request, items: list[dict], included: list[dict] | None = None) -> Response:
        offset = _offset(request.query.get("after", [None])[0])
        page = items[offset : offset + self.page_size]
        more = offset + self.page_size < len(items)
        body: dict[str, Any] = {
            "data": page,
            "jsonapi": JSONAPI,
            "meta": {"cursor": _cursor(offset + self.page_size) if more else None},
        }
        if included:
            body["included"] = included
        return Response(200, body)

    def _numbered_list(self, request: Request, items: list[dict]) -> Response:
        number = int(request.query.get("page[number]", ["1"])[0])
        size = int(request.query.get("page[size]", ["50"])[0])
        if number < 1 or size < 1:
            return _error(400, "Bad Request", "page[number] and page[size] start at 1.")
        return Response(200, {"data": items[(number - 1) * size : number * size], "jsonapi": JSONAPI})

    def send(self, resource_name: str, action: str, obj: dict, changes: dict | None = None) -> None:
        """One webhook: the chosen envelope (README "Webhooks"), `changes` carrying related records as ids only."""
        self.emit(
            {
                "event_type": f"{resource_name}.{action}",
                "environment": self.environment,
                "object": obj,
                "changes": changes or {},
            }
        )

    @staticmethod
    def _changes(before: dict, after: dict) -> dict:
        return {key: value for key, value in after.items() if before.get(key) != value and key != "updated_at"}

    # -- clients and contacts --------------------------------------------------------------------------------
    @route("GET", "/clients")
    def list_clients(self, request: Request) -> Response:
        ordered = sorted(self.world.clients.items(), key=lambda item: item[1]["name"])
        return self._numbered_list(request, [resource("client", cid, attrs) for cid, attrs in ordered])

    @route("GET", "/clients/" + ID.format("client_id"))
    def show_client(self, request: Request, client_id: str) -> Response:
        if client_id not in self.world.clients:
            return _not_found("client")
        return self._one("client", client_id, self.world.clients[client_id])

    @route("POST", "/clients")
    def create_client(self, request: Request) -> Response:
        body = self._checked(schemas.client_body, request.json() or {})
        if isinstance(body, Response):
            return body
        if body["account_id"] != self.world.account_id:
            return _error(422, "Invalid value", "No account with that id.", "/account_id")
        if body.get("facility_id") and body["facility_id"] not in self.world.facilities:
            return _error(422, "Invalid value", "No facility with that id.", "/facility_id")
        client_id, at = self.world.new_id(), self.world.stamp()
        self.world.clients[client_id] = {"name": body["name"], "type": body["type"], "updated_at": at}
        self.world.contacts[client_id] = {}
        return self._one("client", client_id, self.world.clients[client_id])

    @route("GET", "/clients/" + ID.format("client_id") + "/contacts")
    def list_contacts(self, request: Request, client_id: str) -> Response:
        if client_id not in self.world.clients:
            return _not_found("client")
        contacts = sorted(self.world.contacts[client_id].items(), key=lambda i: (i[1]["last_name"], i[1]["first_name"]))
        return self._numbered_list(request, [resource("client_contact", cid, attrs) for cid, attrs in contacts])

    @route("POST", "/clients/" + ID.format("client_id") + "/contacts")
    def create_contact(self, request: Request, client_id: str) -> Response:
        if client_id not in self.world.clients:
            return _not_found("client")
        body = self._checked(schemas.client_contact_body, request.json() or {}, create=True)
        if isinstance(body, Response):
            return body
        contact_id = self.world.new_id()
        fields = ("phone_number_extension", "mobile_number", "notes")
        self.world.contacts[client_id][contact_id] = {**dict.fromkeys(fields), **body}
        return self._one("client_contact", contact_id, self.world.contacts[client_id][contact_id])

    def _contact(self, client_id: str, contact_id: str) -> dict | None:
        return self.world.contacts.get(client_id, {}).get(contact_id)

    @route("GET", "/clients/" + ID.format("client_id") + "/contacts/" + ID.format("contact_id"))
    def show_contact(self, request: Request, client_id: str, contact_id: str) -> Response:
        contact = self._contact(client_id, contact_id)
        return self._one("client_contact", contact_id, contact) if contact else _not_found("client contact")

    @route("PATCH", "/clients/" + ID.format("client_id") + "/contacts/" + ID.format("contact_id"))
    def update_contact(self, request: Request, client_id: str, contact_id: str) -> Response:
        contact = self._contact(client_id, contact_id)
        if contact is None:
            return _not_found("client contact")
        body = self._checked(schemas.client_contact_body, request.json() or {}, create=False)
        if isinstance(body, Response):
            return body
        contact.update(body)
        return self._one("client_contact", contact_id, contact)

    @route("DELETE", "/clients/" + ID.format("client_id") + "/contacts/" + ID.format("contact_id"))
    def delete_contact(self, request: Request, client_id: str, contact_id: str) -> Response:
        contact = self.world.contacts.get(client_id, {}).pop(contact_id, None)
        return self._one("client_contact", contact_id, contact) if contact else _not_found("client contact")

    # -- relationships ---------------------------------------------------------------------------------------
    def _relationship_response(self, relationship_id: str) -> Response:
        attrs = self.world.relationships[relationship_id]
        return self._one("relationship", relationship_id, dict(attrs))

    @route("POST", "/accounts/" + ID.format("account_id") + "/relationships")
    def create_relationship(self, request: Request, account_id: str) -> Response:
        if account_id != self.world.account_id:
            return _not_found("account")
        body = self._checked(schemas.relationship_create_body, request.json() or {})
        if isinstance(body, Response):
            return body
        profile_id = body.get("talent_profile_id") or self._profile_by_email(body.get("talent_profile_email"))
        if profile_id not in self.world.profiles:
            given = "talent_profile_id" if "talent_profile_id" in body else "talent_profile_email"
            return _error(422, "Invalid value", "No talent profile with that id or email.", f"/{given}")
        contact = body.get("primary_contact_user_id") or self._user_by_email(body.get("primary_contact_email"))
        if contact not in self.world.users:
            return _error(422, "Invalid value", "No user with that id or email.", "/primary_contact_user_id")
        held = self._relationship_of(profile_id)
        if held is not None:  # one relationship per account and profile (README, decisions): a repeat finds it
            return self._relationship_response(held)
        at = self.world.stamp()
        relationship_id = self.world.new_id()
        self.world.relationships[relationship_id] = {
            "profile_id": profile_id,
            "primary_contact_id": contact,
            "do_not_hire?": False,
            "do_not_hire_user_id": None,
            "source": "Direct",
            "status": "interested",
            "status_changed_at": None,
            "status_reason": None,
            "sub_status": None,
            "inserted_at": at,
            "updated_at": at,
        }
        self.send("relationship", "insert", self.world.relationship_object(relationship_id))
        return self._relationship_response(relationship_id)

    def _relationship_of(self, profile_id: str) -> str | None:
        return next((rid for rid, r in self.world.relationships.items() if r["profile_id"] == profile_id), None)

    def _profile_by_email(self, email: str | None) -> str | None:
        wanted = (email or "").casefold()
        found = (pid for pid, p in self.world.profiles.items() if str(p.get("email") or "").casefold() == wanted)
        return next(found, None) if wanted else None

    def _user_by_email(self, email: str | None) -> str | None:
        return next((uid for uid, u in self.world.users.items() if email and u["email"] == email), None)

    @route("PATCH", "/accounts/" + ID.format("account_id") + "/relationships/" + ID.format("relationship_id"))
    def update_relationship(self, request: Request, account_id: str, relationship_id: str) -> Response:
        if account_id != self.world.account_id or relationship_id not in self.world.relationships:
            return _not_found("relationship")
        body = self._checked(schemas.relationship_update_body, request.json() or {})
        if isinstance(body, Response):
            return body
        for key in ("do_not_hire_user_id", "primary_contact_user_id"):
            if body.get(key) and body[key] not in self.world.users:
                return _error(422, "Invalid value", "No user with that id.", f"/{key}")
        if "primary_contact_email" in body:
            body["primary_contact_user_id"] = self._user_by_email(body.pop("primary_contact_email"))
            if body["primary_contact_user_id"] is None:
                return _error(422, "Invalid value", "No user with that email.", "/primary_contact_email")
        if "primary_contact_user_id" in body:
            body["primary_contact_id"] = body.pop("primary_contact_user_id")
        self._change_relationship(relationship_id, body)
        return self._relationship_response(relationship_id)

    def _change_relationship(self, relationship_id: str, values: dict, action: str = "update") -> None:
        relationship = self.world.relationships[relationship_id]
        before = dict(relationship)
        at = self.world.stamp()
        relationship.update(values)
        if "status" in values and values["status"] != before["status"]:
            relationship["status_changed_at"] = at
        if relationship.get("do_not_hire?") is False:
            relationship["do_not_hire_user_id"] = None
        changes = self._changes(before, relationship)
        if changes:
            relationship["updated_at"] = at
            self.send("relationship", action, self.world.relationship_object(relationship_id), changes)

    # -- engagements -----------------------------------------------------------------------------------------
    @route("GET", "/engagements/" + ID.format("engagement_id"))
    def show_engagement(self, request: Request, engagement_id: str) -> Response:
        if engagement_id not in self.world.engagements:
            return _not_found("engagement")
        return self._engagement(engagement_id)

    @route("PUT", "/engagements/" + ID.format("engagement_id"))
    def update_engagement(self, request: Request, engagement_id: str) -> Response:
        engagement = self.world.engagements.get(engagement_id)
        if engagement is None:
            return _not_found("engagement")
        body = self._checked(
            schemas.engagement_update_body,
            request.json() or {},
            current_client_contract_id=engagement["client_contract_id"],
        )
        if isinstance(body, Response):
            return body
        money = ("weekly_gross_pay", "weekly_housing_stipend", "weekly_per_diem", "travel_reimbursement")
        # Kamana answers every amount as a string, the rate included (`"regular_hourly_rate": "140"`).
        values = {k: (str(v) if k in (*money, "regular_hourly_rate") else v) for k, v in body.items()}
        self.change_engagement(engagement_id, values)
        return self._engagement(engagement_id)

    def _engagement(self, engagement_id: str) -> Response:
        return self._one(
            "engagement", engagement_id, shaped(self.world.engagements[engagement_id], ENGAGEMENT_ATTRIBUTES)
        )

    def change_engagement(self, engagement_id: str, values: dict) -> None:
        engagement = self.world.engagements[engagement_id]
        before = dict(engagement)
        engagement.update(values)
        changes = self._changes(before, engagement)
        if not changes:
            return
        engagement["updated_at"] = self.world.stamp()
        self.send("engagement", "update", self.world.engagement_object(engagement_id), changes)
        completed = changes.get("status") == "complete"
        relationship_id = engagement["relationship_id"]
        if completed and not self.world.has_open_engagement(relationship_id):
            # Doc, Engagement Event: no open engagements left -> the relationship becomes a prospect.
            self._change_relationship(
                relationship_id, {"status": "prospect", "sub_status": None, "status_reason": None}
            )

    def _children(self, table: dict, engagement_id: str) -> dict | None:
        return table.get(engagement_id) if engagement_id in self.world.engagements else None

    @route("GET", "/engagements/" + ID.format("engagement_id") + "/extensions")
    def list_extensions(self, request: Request, engagement_id: str) -> Response:
        children = self._children(self.world.extensions, engagement_id)
        if children is None:
            return _not_found("engagement")
        items = [
            resource("engagement_extension", cid, {"engagement_id": engagement_id, **a}) for cid, a in children.items()
        ]
        return self._cursor_list(request, items)

    @route("GET", "/engagements/" + ID.format("engagement_id") + "/extensions/" + ID.format("extension_id"))
    def show_extension(self, request: Request, engagement_id: str, extension_id: str) -> Response:
        children = self._children(self.world.extensions, engagement_id) or {}
        if extension_id not in children:
            return _not_found("engagement extension")
        return self._one(
            "engagement_extension", extension_id, {"engagement_id": engagement_id, **children[extension_id]}
        )

    @route("POST", "/engagements/" + ID.format("engagement_id") + "/extensions")
    def create_extension(self, request: Request, engagement_id: str) -> Response:
        children = self._children(self.world.extensions, engagement_id)
        if children is None:
            return _not_found("engagement")
        body = self._checked(schemas.engagement_extension_body, request.json() or {})
        if isinstance(body, Response):
            return body
        extension_id, at = self.world.new_id(), self.world.stamp()
        children[extension_id] = {**body, "inserted_at": at, "updated_at": at}
        self.send(
            "engagement_extension",
            "create",
            self.world.child_object(self.world.extensions, engagement_id, extension_id),
        )
        return self._one(
            "engagement_extension", extension_id, {"engagement_id": engagement_id, **children[extension_id]}
        )

    @route("GET", "/engagements/" + ID.format("engagement_id") + "/notes")
    def list_notes(self, request: Request, engagement_id: str) -> Response:
        children = self._children(self.world.notes, engagement_id)
        if children is None:
            return _not_found("engagement")
        items = [
            resource("engagement_note", nid, attrs, {"creator": ref("user", attrs["creator_id"])})
            for nid, attrs in children.items()
        ]
        return self._cursor_list(request, items, self._included_users(request, children.values()))

    def _included_users(self, request: Request, records: Any) -> list[dict]:
        if "creator" not in request.query.get("include", [""])[0].split(","):
            return []
        ids = {r["creator_id"] for r in records if r.get("creator_id") in self.world.users}
        return [resource("user", uid, self.world.users[uid]) for uid in sorted(ids)]

    @route("GET", "/engagements/" + ID.format("engagement_id") + "/notes/" + ID.format("note_id"))
    def show_note(self, request: Request, engagement_id: str, note_id: str) -> Response:
        children = self._children(self.world.notes, engagement_id) or {}
        if note_id not in children:
            return _not_found("engagement note")
        attrs = children[note_id]
        included = self._included_users(request, [attrs])
        return self._one(
            "engagement_note",
            note_id,
            attrs,
            {"creator": ref("user", attrs["creator_id"])},
            **({"included": included} if included else {}),
        )

    @route("GET", "/engagements/" + ID.format("engagement_id") + "/requirements")
    def list_requirements(self, request: Request, engagement_id: str) -> Response:
        children = self._children(self.world.requirements, engagement_id)
        if children is None:
            return _not_found("engagement")
        return self._cursor_list(
            request,
            [resource("engagement_requirement", rid, shaped(a, REQUIREMENT_ATTRIBUTES)) for rid, a in children.items()],
        )

    @route("GET", "/engagements/" + ID.format("engagement_id") + "/requirements/" + ID.format("requirement_id"))
    def show_requirement(self, request: Request, engagement_id: str, requirement_id: str) -> Response:
        children = self._children(self.world.requirements, engagement_id) or {}
        if requirement_id not in children:
            return _not_found("engagement requirement")
        return self._one(
            "engagement_requirement", requirement_id, shaped(children[requirement_id], REQUIREMENT_ATTRIBUTES)
        )

    # -- Kamana-side activity (not part of Kamana's API) -----------------------------------------------------
    @route("POST", "/_sandbox/engagements")
    def start_engagement(self, request: Request) -> Response:
        body = request.json()
        engagement_id = self.world.add_engagement(body["relationship_id"], body["job_requisition_id"])
        for table in (self.world.notes, self.world.requirements):
            table[engagement_id] = {}
        self.send("engagement", "create", self.world.engagement_object(engagement_id))
        return self._engagement(engagement_id)

    @route("POST", "/_sandbox/engagements/" + ID.format("engagement_id"))
    def force_engagement(self, request: Request, engagement_id: str) -> Response:
        """Set fields as a Kamana user would (`{"status": "complete", "sub_status": "Assignment Complete"}`)."""
        if engagement_id not in self.world.engagements:
            return _not_found("engagement")
        self.change_engagement(engagement_id, request.json())
        return self._engagement(engagement_id)

    @route("DELETE", "/_sandbox/engagements/" + ID.format("engagement_id"))
    def delete_engagement(self, request: Request, engagement_id: str) -> Response:
        if engagement_id not in self.world.engagements:
            return _not_found("engagement")
        obj = self.world.engagement_object(engagement_id)
        del self.world.engagements[engagement_id]
        self.send("engagement", "delete", obj)
        return Response(200, {"data": None, "jsonapi": JSONAPI})

    @route("POST", "/_sandbox/relationships/reassign")
    def reassign(self, request: Request) -> Response:
        """Users > Reassign Talent: every relationship of `from_user_id` moves to `to_user_id`, one event each."""
        body = request.json()
        moved = [rid for rid, r in self.world.relationships.items() if r["primary_contact_id"] == body["from_user_id"]]
        for relationship_id in moved:
            self._change_relationship(relationship_id, {"primary_contact_id": body["to_user_id"]}, "reassignment")
        return Response(200, {"reassigned": moved})

    @route("DELETE", "/_sandbox/relationships/" + ID.format("relationship_id"))
    def delete_relationship(self, request: Request, relationship_id: str) -> Response:
        if relationship_id not in self.world.relationships:
            return _not_found("relationship")
        obj = self.world.relationship_object(relationship_id)
        del self.world.relationships[relationship_id]
        self.send("relationship", "delete", obj)
        return Response(200, {"data": None, "jsonapi": JSONAPI})

    @route("POST", "/_sandbox/profiles/" + ID.format("profile_id"))
    def edit_profile(self, request: Request, profile_id: str) -> Response:
        """A talent edits 'Personal Information'."""
        profile = self.world.profiles.get(profile_id)
        if profile is None:
            return _not_found("talent")
        before = dict(profile)
        profile.update(request.json())
        changes = self._changes(before, profile)
        if changes:
            profile["updated_at"] = self.world.stamp()
            self.send("talent_profile", "update", self.world.profile_object(profile_id), changes)
        return self._one("profile", profile_id, profile)

    @route(
        "POST", "/_sandbox/engagements/" + ID.format("engagement_id") + "/requirements/" + ID.format("requirement_id")
    )
    def change_requirement(self, request: Request, engagement_id: str, requirement_id: str) -> Response:
        """Map, verify, dismiss or restore a requirement, or change its expiry (`{"status": "verified"}`)."""
        children = self._children(self.world.requirements, engagement_id)
        if children is None:
            return _not_found("engagement")
        created = requirement_id not in children
        requirement = children.setdefault(requirement_id, {"engagement_id": engagement_id, "status": "needed"})
        before = dict(requirement)
        requirement.update(request.json(), updated_at=self.world.stamp())
        requirement.setdefault("inserted_at", requirement["updated_at"])
        obj = self.world.child_object(self.world.requirements, engagement_id, requirement_id)
        self.send("engagement_requirement", "create" if created else "update", obj, self._changes(before, requirement))
        return self._one("engagement_requirement", requirement_id, shaped(requirement, REQUIREMENT_ATTRIBUTES))

    @route("DELETE", "/_sandbox/engagements/" + ID.format("engagement_id") + "/extensions/" + ID.format("extension_id"))
    def delete_extension(self, request: Request, engagement_id: str, extension_id: str) -> Response:
        children = self._children(self.world.extensions, engagement_id) or {}
        if extension_id not in children:
            return _not_found("engagement extension")
        obj = self.world.child_object(self.world.extensions, engagement_id, extension_id)
        del children[extension_id]
        self.send("engagement_extension", "delete", obj)
        return Response(200, {"data": None, "jsonapi": JSONAPI})

    def tick(self) -> None:
        """A day passes: an active engagement whose end date is past completes (and may free its relationship).
        `ends_on` is a day at the engagement's facility, so "past" is judged by that facility's clock."""
        now = dt.datetime.now(dt.UTC)
        for engagement_id, engagement in list(self.world.engagements.items()):
            if engagement["status"] != "active" or not engagement["ends_on"]:
                continue
            if engagement["ends_on"] < self._facility_today(engagement.get("client_location_id"), now):
                self.change_engagement(engagement_id, {"status": "complete", "sub_status": "Assignment Complete"})

    def _facility_today(self, facility_id: str | None, now: dt.datetime) -> str:
        zone = (self.world.facilities.get(facility_id) or {}).get("time_zone") or "UTC"
        return now.astimezone(ZoneInfo(zone)).date().isoformat()
