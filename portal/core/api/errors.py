"""Every API error is JSON of one shape: `{"detail": str, "code": str, "errors": {field: [messages]}}`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

__all__ = ["json_exception_handler"]


def _field_errors(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for field, messages in detail.items():
            if isinstance(messages, dict):
                for sub, sub_messages in _field_errors(messages).items():
                    out[f"{field}.{sub}"] = sub_messages
            else:
                out[field] = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {}


def json_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Model-layer refusals (invalid status transitions, model clean) are the client's error, not a 500.
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {"detail": "Invalid input.", "code": "invalid", "errors": _field_errors(exc.detail)}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = {
            "detail": str(detail),
            "code": getattr(detail, "code", None) or getattr(exc, "default_code", "error"),
            "errors": {},
            # More of the refusal where an exception carries it (the assignment gate's 409: its verdict).
            **getattr(exc, "extra_body", {}),
        }
    return Response(body, status=response.status_code, headers=dict(response.headers))
