"""Where a view may send the browser after a POST. A `next` taken from the request is only followed when it
stays on this site; anything else (another host, `//host`, `javascript:`) falls back to the view's own page,
so a crafted link cannot turn a portal button into an open redirect (issue 15)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["redirect_to_next", "safe_next_url"]


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The request's `next` (POST first, then the query string) when it points at this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def redirect_to_next(request: HttpRequest, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next_url(request, default))
