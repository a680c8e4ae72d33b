"""The Kamana sandbox's catalogue routes: facilities (with `include=province`), job requisitions (filters, search,
cursor, `include`), professions, specialties, talents and profiles. Mixed into `KamanaSandbox`, whose helpers
(`_checked`, `_one`, `_cursor_list`, `send`) they use."""

from __future__ import annotations

from typing import Any

from vendors.base.sandbox import Request, Response, route
from vendors.kamana import schemas
from vendors.kamana.sandbox_world import (
    PREFERENCE_ATTRIBUTES,
    REQUISITION_ATTRIBUTES,
    TALENT_ATTRIBUTES,
    ref,
    resource,
    shaped,
)

__all__ = ["CatalogRoutes"]

ID = "(?P<{}>[^/]+)"


def _includes(request: Request) -> set[str]:
    return {part.strip() for part in request.query.get("include", [""])[0].split(",") if part.strip()}


class CatalogRoutes:
    """Route methods only; the state is `self.world` (a `KamanaWorld`)."""

    world: Any

    # -- facilities ------------------------------------------------------------------------------------------
    def _facility(self, facility_id: str) -> dict:
        return resource(
            "facility",
            facility_id,
            self.world.facilities[facility_id],
            {"province": ref("province", self.world.facilities[facility_id]["province_id"])},
        )

    def _provinces(self, province_ids: set[str]) -> list[dict]:
        return [resource("province", pid, self.world.provinces[pid]) for pid in sorted(province_ids) if pid]

    @route("GET", "/facilities")
    def list_facilities(self, request: Request) -> Response:
        ids = sorted(self.world.facilities, key=lambda fid: self.world.facilities[fid]["name"])
        included = None
        if "province" in _includes(request):
            included = self._provinces({self.world.facilities[fid]["province_id"] for fid in ids})
        return self._cursor_list(request, [self._facility(fid) for fid in ids], included)

    @route("GET", "/facilities/" + ID.format("facility_id"))
    def show_facility(self, request: Request, facility_id: str) -> Response:
        if facility_id not in self.world.facilities:
            return self._missing("facility")
        included = self._provinces({self.world.facilities[facility_id]["province_id"]})
        return Response(200, {"data": self._facility(facility_id), "included": included, "jsonapi": {"version": "1.0"}})

    @route("POST", "/facilities")
    def create_facility(self, request: Request) -> Response:
        body = self._checked(schemas.facility_body, request.json() or {}, create=True)
        if isinstance(body, Response):
            return body
        if body["province_id"] not in self.world.provinces:
            return self._invalid("No province with that id.", "/province_id")
        facility_id, at = self.world.new_id(), self.world.stamp()
        self.world.facilities[facility_id] = {
            **body,
            "static_id": None,
            "time_zone": "America/New_York",
            "inserted_at": at,
            "updated_at": at,
        }
        return self.show_facility(request, facility_id)

    @route("PUT", "/facilities/" + ID.format("facility_id"))
    def update_facility(self, request: Request, facility_id: str) -> Response:
        if facility_id not in self.world.facilities:
            return self._missing("facility")
        body = self._checked(schemas.facility_body, request.json() or {}, create=False)
        if isinstance(body, Response):
            return body
        if "province_id" in body and body["province_id"] not in self.world.provinces:
            return self._invalid("No province with that id.", "/province_id")
        self.world.facilities[facility_id].update(body, updated_at=self.world.stamp())
        return self.show_facility(request, facility_id)

    @route("DELETE", "/facilities/" + ID.format("facility_id"))
    def delete_facility(self, request: Request, facility_id: str) -> Response:
        facility = self.world.facilities.get(facility_id)
        if facility is None:
            return self._missing("facility")
        refused = self._checked(schemas.facility_delete_check, facility["static_id"])
        if isinstance(refused, Response):
            return refused
        del self.world.facilities[facility_id]
        return self._one("facility", facility_id, facility)

    # -- job requisitions ------------------------------------------------------------------------------------
    def _requisition(self, requisition_id: str, includes: set[str]) -> dict:
        attrs = self.world.requisitions[requisition_id]
        relationships = (
            {
                "facility": ref("facility", attrs["facility_id"]),
                "profession": ref("profession", attrs["profession_id"]),
                "specialty": ref("specialty", attrs["specialty_id"]),
                "creator": ref("user", attrs["creator_id"]),
            }
            if includes
            else None
        )
        return resource("job_requisition", requisition_id, attrs, relationships)

    def _requisition_included(self, ids: list[str], includes: set[str]) -> list[dict]:
        wanted = {name.split(".")[0] for name in includes}
        out: list[dict] = []
        tables = {"facility": "facilities", "profession": "professions", "specialty": "specialties", "creator": "users"}
        kinds = {"creator": "user"}
        for relation, table in tables.items():
            if relation not in wanted:
                continue
            related = {self.world.requisitions[rid][f"{relation}_id"] for rid in ids} - {None}
            for related_id in sorted(related):
                if relation == "facility":
                    out.append(self._facility(related_id))
                else:
                    out.append(
                        resource(kinds.get(relation, relation), related_id, getattr(self.world, table)[related_id])
                    )
        if "facility.province" in includes:
            out += self._provinces(
                {self.world.facilities[self.world.requisitions[rid]["facility_id"]]["province_id"] for rid in ids}
            )
        return out

    @route("GET", "/job_requisitions")
    def list_requisitions(self, request: Request) -> Response:
        query = {k: v[0] for k, v in request.query.items() if k not in ("include", "after")}
        checked = self._checked(schemas.job_requisitions_query, query)
        if isinstance(checked, Response):
            return checked
        ids = self.world.requisition_order()
        if checked:  # unfiltered pages of a 50,000-record list must not scan it on every request
            ids = [rid for rid in ids if self._matches(self.world.requisitions[rid], checked)]
        offset_page = self._cursor_list(request, ids)
        page_ids = offset_page.body["data"]
        includes = _includes(request)
        offset_page.body["data"] = [self._requisition(rid, includes) for rid in page_ids]
        if includes:
            offset_page.body["included"] = self._requisition_included(page_ids, includes)
        return offset_page

    def _matches(self, attrs: dict, filters: dict[str, str]) -> bool:
        for key in ("profession_id", "specialty_id", "facility_id", "status"):
            if key in filters and attrs[key] != filters[key]:
                return False
        facility = self.world.facilities.get(attrs["facility_id"], {})
        if "province_id" in filters and facility.get("province_id") != filters["province_id"]:
            return False
        if "search" in filters:
            needle = filters["search"].casefold()
            fields = ("name", "reference_number", "origin_reference_number", "source_reference_number")
            return any(needle in str(attrs.get(name) or "").casefold() for name in fields)
        return True

    @route("GET", "/job_requisitions/" + ID.format("requisition_id"))
    def show_requisition(self, request: Request, requisition_id: str) -> Response:
        if requisition_id not in self.world.requisitions:
            return self._missing("job requisition")
        includes = _includes(request)
        body = {"data": self._requisition(requisition_id, includes), "jsonapi": {"version": "1.0"}}
        if includes:
            body["included"] = self._requisition_included([requisition_id], includes)
        return Response(200, body)

    def _refs_known(self, body: dict) -> Response | None:
        tables = {"facility_id": "facilities", "profession_id": "professions", "specialty_id": "specialties"}
        for key, table in tables.items():
            if key in body and body[key] not in getattr(self.world, table):
                return self._invalid(f"No {key.removesuffix('_id')} with that id.", f"/{key}")
        return None

    @route("POST", "/job_requisitions")
    def create_requisition(self, request: Request) -> Response:
        body = self._checked(schemas.job_requisition_body, request.json() or {}, create=True)
        if isinstance(body, Response):
            return body
        if refused := self._refs_known(body):
            return refused
        requisition_id, at = self.world.new_id(), self.world.stamp()
        self.world.requisitions[requisition_id] = {
            **dict.fromkeys(REQUISITION_ATTRIBUTES),
            "status": "open",
            "creator_id": next(iter(self.world.users)),
            "client_contract_id": None,
            **body,
            "reference_number": f"KP{len(self.world.requisitions) + 1:07d}",
            "inserted_at": at,
            "updated_at": at,
        }
        self.world.touched_requisitions()
        self.send("job_requisition", "create", self.world.requisition_object(requisition_id))
        return self.show_requisition(request, requisition_id)

    @route("PUT", "/job_requisitions/" + ID.format("requisition_id"))
    def update_requisition(self, request: Request, requisition_id: str) -> Response:
        requisition = self.world.requisitions.get(requisition_id)
        if requisition is None:
            return self._missing("job requisition")
        body = self._checked(schemas.job_requisition_body, request.json() or {}, create=False)
        if isinstance(body, Response):
            return body
        if refused := self._refs_known(body):
            return refused
        before = dict(requisition)
        requisition.update(body)
        changes = self._changes(before, requisition)
        if changes:
            requisition["updated_at"] = self.world.stamp()
            self.world.touched_requisitions()
            self.send("job_requisition", "update", self.world.requisition_object(requisition_id), changes)
        return self.show_requisition(request, requisition_id)

    # -- reference lists, talents, profiles ------------------------------------------------------------------
    @route("GET", "/professions")
    def list_professions(self, request: Request) -> Response:
        return self._cursor_list(request, [resource("profession", i, a) for i, a in self.world.professions.items()])

    @route("GET", "/specialties")
    def list_specialties(self, request: Request) -> Response:
        return self._cursor_list(request, [resource("specialty", i, a) for i, a in self.world.specialties.items()])

    @route("GET", "/talents/" + ID.format("profile_id"))
    def show_talent(self, request: Request, profile_id: str) -> Response:
        profile = self.world.profiles.get(profile_id)
        if profile is None:
            return self._missing("talent")
        attrs = shaped(profile, TALENT_ATTRIBUTES)
        preferences = self.world.preferences.get(profile_id, {})
        relationships = {
            # Doc (Show Talent): the preferences as references, their attributes in `included`, unasked.
            "opportunity_preferences": {
                "data": [{"id": i, "type": "opportunity_preference"} for i in preferences],
            },
            "profession": ref("profession", profile.get("profession_id")),
            "primary_specialty": ref("specialty", profile.get("primary_specialty_id")),
        }
        included = [
            resource("opportunity_preference", i, shaped(attrs, PREFERENCE_ATTRIBUTES))
            for i, attrs in preferences.items()
        ]
        return self._one("profile", profile_id, attrs, relationships, included=included)

    @route("POST", "/profiles")
    def create_profile(self, request: Request) -> Response:
        body = self._checked(schemas.profile_body, request.json() or {})
        if isinstance(body, Response):
            return body
        profile_id, at = self.world.new_id(), self.world.stamp()
        claimed = body.pop("claimed?", False)
        preferences = body.pop("opportunity_preferences", None) or []
        self.world.profiles[profile_id] = {**body, "claimed": claimed, "inserted_at": at, "updated_at": at}
        for values in preferences:
            self.world.add_preference(profile_id, values, at=at)
        if not claimed:  # doc: "An event is also triggered when a new unclaimed profile is created."
            self.send("talent_profile", "create", self.world.profile_object(profile_id))
        return self.show_talent(request, profile_id)
