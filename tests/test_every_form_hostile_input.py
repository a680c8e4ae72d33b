"""No 5xx on any input, for every page and form a signed-in admin can reach (the brief's property).

The test seeds the demo, and a failed delivery on a record of each kind so that retry buttons show. It walks the
portal's pages from the home page and a few pages whose links show only for a record in a given state, the way a
browser would (links, and the forms and HTMX posts each page carries), then posts hostile values into every form
it found: values the page offered, blanks, wrong types, huge numbers, impossible dates, times the spring night
skips, markup, NUL bytes. Filtered pages get hostile values in their query the same way. Every answer must be
below 500. Each post runs in a savepoint rolled back after it, so every example starts from the same seeded data.
The vendors' addresses refuse connections, so a form that calls a vendor meets an outage. The examples are
derandomized so that CI is repeatable; a wider search is a local run with `max_examples` raised (100 a form found
nothing more).
"""

from __future__ import annotations

import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest, VendorConnection
from tests.jobs.factories import VendorConnectionFactory

pytestmark = pytest.mark.django_db

VENDORS = ("kamana", "intelycare", "alaunus", "ceki", "careerbuilder")
# Not the portal's HTML pages, or not undoable: the admin and the API have their own tests, webhooks theirs.
SKIPPED = re.compile(r"^/(admin|api|webhooks|static|media|accounts/logout|logout|health|metrics)\b")
MAX_PAGES = 300
PER_SHAPE = 3  # pages of one shape (ids aside) walked
FAILED_PAGES: list[str] = []  # record pages showing a failed delivery (`seeded`)

EDGE = [
    "",
    " ",
    "0",
    "-1",
    "2147483648",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "-0.01",
    "2026-02-30",
    "0000-00-00",
    "2026-03-08",
    "25:61",
    "02:30",
    "03:10",
    "2026-03-08T02:30",
    "2026-11-01T01:30",
    "x" * 300,
    "<script>alert(1)</script>",
    "'; DROP TABLE x; --",
    "a\x00b",
    "\u00fc\u2202\U0001f600",
    "[]",
    "{}",
    "on",
]
hostile = st.one_of(st.sampled_from(EDGE), st.text(max_size=12))


class _Page(HTMLParser):
    """Links, and forms as (method, action, {name: [offered values]}, {multi-valued names})."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str, str, dict[str, list[str]], set[str]]] = []
        self._form: tuple[str, str, dict[str, list[str]], set[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for verb in ("hx-get",):
            if a.get(verb):
                self.links.append(a[verb])
        if tag == "form":
            method = "post" if (a.get("method", "").lower() == "post" or a.get("hx-post")) else "get"
            self._form = (method, a.get("hx-post") or a.get("action") or "", {}, set())
            self.forms.append(self._form)
        elif tag == "button" and a.get("hx-post") and self._form is None:
            self.forms.append(("post", a["hx-post"], {}, set()))
        if self._form is None or not a.get("name"):
            if tag == "option" and self._form is not None and self._select:
                self._form[2][self._select].append(a.get("value", ""))
            return
        name, fields, multi = a["name"], self._form[2], self._form[3]
        if tag == "select":
            self._select = name
            fields.setdefault(name, [])
            if "multiple" in a:
                multi.add(name)
        elif tag in ("input", "textarea", "button"):
            fields.setdefault(name, []).append(a.get("value", ""))
            if a.get("type") == "checkbox":
                multi.add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _shape(url: str) -> str:
    """A page's kind: its path with ids as N and the names of its query's keys (a filter's values aside)."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _roots() -> list[str]:
    """Home, and pages whose links show only for a record in a given state (a few of each shape are walked, which
    may all be in another state): a completed shift, a portal shift still open, a visit with its punchcard."""
    from portal.shifts.models import ShiftRequest, Timecard

    completed = ShiftRequest.objects.filter(status="completed").first()
    open_here = ShiftRequest.objects.filter(status="open", connection=None).first()
    punched = Timecard.objects.exclude(visit=None).first()
    return [
        "/",
        "/talent/duplicates/",
        *([f"/shifts/{completed.pk}/"] if completed else []),
        *([f"/shifts/{open_here.pk}/"] if open_here else []),
        *([f"/shifts/visits/{punched.visit_id}/"] if punched else []),
        *FAILED_PAGES,
    ]


def _walk(client) -> tuple[list[str], dict[tuple[str, str], tuple[str, dict[str, list[str]], set[str]]]]:
    """Every page reached from the roots (a few of each shape) and every post form found on them."""
    seen, shapes, forms = set(), {}, {}
    queue, pages = deque(_roots()), []
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or SKIPPED.match(path) or shapes.get(_shape(url), 0) >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[_shape(url)] = shapes.get(_shape(url), 0) + 1
        response = client.get(url)
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        pages.append(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parsed = _Page()
        parsed.feed(response.content.decode())
        for link in parsed.links:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if not parts.netloc and parts.path.startswith("/"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        for method, action, fields, multi in parsed.forms:
            target = urlsplit(urljoin(url, action or url))
            if method != "post" or target.netloc or SKIPPED.match(target.path):
                continue
            key = (_shape(target.path), ",".join(sorted(fields)))
            forms.setdefault(key, (target.path + (f"?{target.query}" if target.query else ""), fields, multi))
    return pages, forms


def _values(fields: dict[str, list[str]], multi: set[str]) -> st.SearchStrategy[dict[str, object]]:
    """Per field: what the page offered, or something hostile; checkboxes and multi-selects as lists."""
    strategies = {}
    for name, offered in fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        one = st.one_of(st.sampled_from(offered), hostile) if [o for o in offered if o] else hostile
        strategies[name] = st.lists(one, max_size=3) if name in multi else st.one_of(one, st.none())
    return st.fixed_dictionaries(strategies).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _failed_deliveries(connections: dict[str, VendorConnection]) -> list[str]:
    """A failed request on a record of each kind whose page shows deliveries, so their retry buttons are walked;
    returns those pages."""
    from portal.contracts.models import Engagement
    from portal.jobs.models import Client, Facility, JobRequisition
    from portal.shifts.models import ShiftRequest, Visit

    kinds = [
        (ShiftRequest, "intelycare", "update_shift", "/shifts/{pk}/"),
        (Visit, "alaunus", "update_visit", "/shifts/visits/{pk}/"),
        (Engagement, "kamana", "update_engagement", "/engagements/{pk}/"),
        (JobRequisition, "kamana", "update_job_requisition", "/jobs/{pk}/"),
        (Client, "kamana", "create_client", "/jobs/clients/{pk}/"),
        (Facility, "kamana", "update_facility", "/jobs/facilities/{pk}/"),
    ]
    pages = []
    for model, vendor, operation, page in kinds:
        if record := model.objects.order_by("pk").first():
            row = outbox.enqueue(connections[vendor], operation, related=record)
            OutboundRequest.objects.filter(pk=row.pk).update(state="failed", attempts=3, last_error="HTTP 422: no")
            pages.append(page.format(pk=record.pk))
    return pages


@pytest.fixture
def seeded(portal_admin):
    connections = {
        vendor: VendorConnectionFactory(vendor=vendor, name=f"{vendor} (down)", base_url=f"http://127.0.0.1:9/{vendor}")
        for vendor in VENDORS
    }
    call_command("seed_demo", "--scale", "1", "--seed", "11", stdout=io.StringIO())
    FAILED_PAGES[:] = _failed_deliveries(connections)
    return portal_admin


def test_every_page_and_form_answers_hostile_input_without_a_server_error(client, seeded):
    client.force_login(seeded)
    pages, forms = _walk(client)
    assert len(pages) >= 40 and len(forms) >= 25, f"the walk reached too little: {len(pages)} pages, {len(forms)} forms"

    for url, fields, multi in forms.values():
        _post_hostile(client, url, fields, multi)
    filtered = {_shape(url): url for url in pages if "?" in url}
    assert len(filtered) >= 10, "the walk found too few filtered pages"
    for url in filtered.values():
        _get_hostile(client, url)


def _post_hostile(client, url: str, fields: dict[str, list[str]], multi: set[str]) -> None:
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
    @given(values=_values(fields, multi), htmx=st.booleans())
    def post(values, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with transaction.atomic():
            response = client.post(url, values, **headers)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"POST {url} {values!r}: {response.status_code}"

    post()


def _get_hostile(client, url: str) -> None:
    """A filtered page (a shared link, a bookmark) with hostile values in its query: never a 5xx."""
    path, query = url.split("?", 1)
    offered = {}
    for pair in query.split("&"):
        if pair:
            key, _, value = pair.partition("=")
            offered.setdefault(key, []).append(value)

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
    @given(values=_values(offered, set()), htmx=st.booleans())
    def get(values, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        response = client.get(path, values, **headers)
        assert response.status_code < 500, f"GET {path} {values!r}: {response.status_code}"

    get()
