"""Walking the portal's HTML the way a browser would, and answering each form and filter with hostile input.

The walk follows links (and `hx-get`) from given roots, a few pages of each shape (ids and filter values aside),
and collects every form that posts (`method="post"` or `hx-post`, and lone `hx-post` buttons) with the values the
page offered. The hostile values are blanks, wrong types, huge numbers, impossible dates, times a spring night
skips, markup and NUL bytes, or what the page offered. Examples are derandomized so a CI run repeats.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

__all__ = ["Form", "get_hostile", "post_hostile", "shape", "walk"]

# (url, {field: [values the page offered]}, {fields that take several values})
Form = tuple[str, dict[str, list[str]], set[str]]

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


def shape(url: str) -> str:
    """A page's kind: its path with ids as N and the names of its query's keys (a filter's values aside)."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def walk(
    client: Client, roots: list[str], skipped: re.Pattern[str], *, per_shape: int = 3, max_pages: int = 300
) -> tuple[list[str], list[Form]]:
    """Every page reached from `roots` (`per_shape` of each shape) and every post form found on them; `skipped`
    is matched against each page's and form's path and query."""
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    found: dict[tuple[str, str], Form] = {}
    queue, pages = deque(roots), []
    while queue and len(pages) < max_pages:
        url = queue.popleft()
        if url in seen or skipped.match(url) or shapes.get(shape(url), 0) >= per_shape:
            continue
        seen.add(url)
        shapes[shape(url)] = shapes.get(shape(url), 0) + 1
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
            where = target.path + (f"?{target.query}" if target.query else "")
            if method != "post" or target.netloc or skipped.match(where):
                continue
            found.setdefault((shape(target.path), ",".join(sorted(fields))), (where, fields, multi))
    return pages, list(found.values())


def _values(fields: dict[str, list[str]], multi: set[str]) -> st.SearchStrategy[dict[str, object]]:
    """Per field: what the page offered, or something hostile; checkboxes and multi-selects as lists."""
    strategies = {}
    for name, offered in fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        one = st.one_of(st.sampled_from(offered), hostile) if [o for o in offered if o] else hostile
        strategies[name] = st.lists(one, max_size=3) if name in multi else st.one_of(one, st.none())
    return st.fixed_dictionaries(strategies).map(lambda d: {k: v for k, v in d.items() if v is not None})


def post_hostile(client: Client, form: Form, examples: int = 12) -> None:
    """Hostile values into one form, each post in a savepoint rolled back after it: never a 5xx."""
    url, fields, multi = form

    @settings(
        max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
    )
    @given(values=_values(fields, multi), htmx=st.booleans())
    def post(values, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with transaction.atomic():
            response = client.post(url, values, **headers)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"POST {url} {values!r}: {response.status_code}"

    post()


def get_hostile(client: Client, url: str, examples: int = 10) -> None:
    """A filtered page (a shared link, a bookmark) with hostile values in its query: never a 5xx."""
    path, query = url.split("?", 1)
    offered = {}
    for pair in query.split("&"):
        if pair:
            key, _, value = pair.partition("=")
            offered.setdefault(key, []).append(value)

    @settings(
        max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
    )
    @given(values=_values(offered, set()), htmx=st.booleans())
    def get(values, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with transaction.atomic():  # a failing query must not leave the next example an aborted transaction
            response = client.get(path, values, **headers)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"GET {path} {values!r}: {response.status_code}"

    get()
