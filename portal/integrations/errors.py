"""The small error taxonomy every vendor call ends in, so pages and rows can say what went wrong in plain words.

Transient errors (`RateLimited`, `Unavailable`) are retried by the client and by the outbox; the others are
permanent: retrying the same request will not help until someone changes something. `vendor_words` pulls the
vendor's own explanation out of an error body (issue 14 item 5), whatever shape the vendor gave it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "MESSAGE_LIMIT",
    "RAW_BODY_LIMIT",
    "AuthError",
    "Conflict",
    "DeadlineExceeded",
    "NotFound",
    "PayloadInvalid",
    "RateLimited",
    "Unavailable",
    "ValidationFailed",
    "VendorError",
    "field_errors",
    "shorten",
    "vendor_words",
]

MESSAGE_LIMIT = 300  # characters of the vendor's words in a message a coordinator reads
RAW_BODY_LIMIT = 64 * 1024  # characters of the vendor's answer kept for Admins on a row


class VendorError(Exception):
    """Base of the taxonomy. `transient` tells the outbox whether a later attempt may succeed."""

    transient = False

    def __init__(self, message: str, *, status: int | None = None, body: Any = None, raw_body: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        self.raw_body = raw_body  # the vendor's answer as text (first RAW_BODY_LIMIT characters), for Admins


class AuthError(VendorError):
    """The vendor refused our credentials (401/403): fix the connection's secrets."""


class NotFound(VendorError):
    """The vendor has no such object (404)."""


class Conflict(VendorError):
    """The vendor already holds an object with this natural key (409); `body` may carry it."""


class ValidationFailed(VendorError):
    """The vendor (or our own check before sending) refused the data; `field_errors` says which fields."""

    def __init__(self, message: str, *, field_errors: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field_errors = field_errors or {}


class PayloadInvalid(ValueError):
    """A body our own check (or a sandbox) refuses by the vendor's documented rules, every broken field at once.

    `errors` maps each field (its wire name) to its messages; `refused` turns it into the taxonomy's
    `ValidationFailed`, so the outbox parks the row with the same field errors a vendor's own 422 would give.
    """

    def __init__(self, errors: Mapping[str, Iterable[str]]) -> None:
        self.errors = {name: list(messages) for name, messages in errors.items()}
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in self.errors.items()))

    def refused(self, vendor: str) -> ValidationFailed:
        """The refusal as a coordinator reads it: "Not sent to <vendor>: <field>: <messages>"."""
        return ValidationFailed(f"Not sent to {vendor}: {self}", field_errors=self.errors)


class RateLimited(VendorError):
    """429: the vendor asked us to slow down; `retry_after` seconds if it said how long."""

    transient = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Unavailable(VendorError):
    """5xx, a timeout or a dropped connection: the vendor could not answer now."""

    transient = True


class DeadlineExceeded(Unavailable):
    """The call's overall deadline passed before the vendor's answer was complete (a stalled or trickling vendor)."""


def shorten(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """One line of at most `limit` characters, ending in an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def vendor_words(body: Any, limit: int = MESSAGE_LIMIT) -> str:
    """The vendor's explanation in an error body, shortened: JSON:API `errors[].title/detail`, `message`,
    `error` (a string or `{code, message}`), `error_description`, field errors as `name: message`; an HTML
    page's title or text; otherwise the body itself. Empty when the body says nothing."""
    if isinstance(body, bytes | bytearray):
        body = bytes(body[:RAW_BODY_LIMIT]).decode("utf-8", "replace")
    if isinstance(body, str):
        words = _text_words(body[:RAW_BODY_LIMIT])
    elif isinstance(body, Mapping | list):
        words = _json_words(body) or (json.dumps(body, default=str)[: limit * 2] if body else "")
    else:
        words = "" if body is None else str(body)
    return shorten(re.sub(r"[\x00-\x1f\x7f]", " ", words), limit)


def field_errors(body: Any) -> dict[str, Any]:
    """Field errors under `errors`: a dict (`{field: [messages]}`), or a JSON:API list with `source.pointer`."""
    errors = body.get("errors") if isinstance(body, Mapping) else None
    if isinstance(errors, Mapping):
        return dict(errors)
    found: dict[str, Any] = {}
    for error in errors if isinstance(errors, list) else ():
        if isinstance(error, Mapping):
            source = error.get("source") if isinstance(error.get("source"), Mapping) else {}
            pointer = str(source.get("pointer") or error.get("field") or "__all__")
            found.setdefault(pointer.rsplit("/", 1)[-1], []).append(error.get("detail") or error.get("title"))
    return found


_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HTML_HIDDEN = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")
_GENERAL_FIELDS = {"__all__", "non_field_errors", ""}


def _text_words(text: str) -> str:
    """A proxy's or server's HTML error page says most in its title; plain text is kept as it is."""
    if not re.search(r"<(html|body|head|title|h1|p|div)\b", text, re.IGNORECASE):
        return text
    title = _HTML_TITLE.search(text)
    if title and title.group(1).strip():
        return html.unescape(_HTML_TAG.sub(" ", title.group(1)))
    return html.unescape(_HTML_TAG.sub(" ", _HTML_HIDDEN.sub(" ", text)))


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _summary(error: Mapping) -> str:
    """`title` and `detail` (or `message`, `error_description`) of one error object, without repeating."""
    nested = error.get("error")
    if isinstance(nested, Mapping):
        return _summary(nested)
    title = _text(error.get("title"))
    detail = next(
        (text for key in ("detail", "message", "error_description", "description") if (text := _text(error.get(key)))),
        "",
    )
    code = _text(nested) or _text(error.get("code"))
    if not title and not detail:
        return code
    if title and detail and not detail.lower().startswith(title.lower()):
        return f"{title}: {detail}"
    return detail or title


def _message_list(value: Any) -> str:
    listed = value if isinstance(value, list) else [value]
    return ", ".join(str(item) for item in listed[:5] if item not in (None, ""))


def _field_words(errors: Any) -> list[str]:
    if isinstance(errors, Mapping):
        items = list(errors.items())[:10]
        return [
            message if str(name) in _GENERAL_FIELDS else f"{name}: {message}"
            for name, value in items
            if (message := _message_list(value))
        ]
    words = []
    for error in errors[:10] if isinstance(errors, list) else ():
        if isinstance(error, Mapping):
            source = error.get("source") if isinstance(error.get("source"), Mapping) else {}
            pointer = str(source.get("pointer") or error.get("field") or "").rsplit("/", 1)[-1]
            summary = _text(error.get("detail")) or _summary(error) if pointer else _summary(error)
            words.append(f"{pointer}: {summary}" if pointer and summary else summary)
        elif _text(error):
            words.append(_text(error))
    return [word for word in words if word]


def _json_words(body: Mapping | list) -> str:
    if isinstance(body, list):
        return "; ".join(_field_words(body))
    summary, fields = _summary(body), _field_words(body.get("errors"))
    # Laravel (Ceki) repeats the first field's message as its summary: "... (and 2 more errors)".
    head = summary.split(" (and ")[0]
    if fields and (not summary or any(head in field for field in fields)):
        return "; ".join(fields)
    return "; ".join([summary, *fields]) if summary else ""
