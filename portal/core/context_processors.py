"""Template context every page needs: the navigation for this user's roles."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from portal.core.navigation import SECTIONS
from portal.core.roles import has_role, roles_of

__all__ = ["navigation"]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "user_roles": []}
    items = []
    for section in SECTIONS:
        if not has_role(user, *section.roles):
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            url = None
        items.append({"label": section.label, "url": url, "active": bool(url) and request.path.startswith(url)})
    return {"nav_sections": items, "user_roles": sorted(role.value for role in roles_of(user))}
