"""`{{ connection.webhook_url|mask_secret:connection.webhook_token }}` renders `…/webhooks/intelycare/••••••3f9a/`."""

from __future__ import annotations

from django import template

from portal.core.masking import mask_secret_in

register = template.Library()


@register.filter(name="mask_secret")
def mask_secret_filter(text: str, secret: str) -> str:
    return mask_secret_in(str(text), str(secret or ""))
