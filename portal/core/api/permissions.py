"""Who may use the API: any of the three roles; writes are further limited per view."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from portal.core.roles import Role, has_role

__all__ = ["HasApiRole", "IsAdminRole"]


class HasApiRole(BasePermission):
    message = "Your account has no role that may use the API."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and has_role(
            request.user, Role.API_CLIENT, Role.ADMIN, Role.COORDINATOR
        )

    def has_object_permission(self, request, view, obj) -> bool:
        """Objects are visible when the view's queryset (already scoped to the user) holds them; a view
        narrows writes with `can_change(user, obj)` where the domain says so."""
        if request.method in SAFE_METHODS:
            return True
        can_change = getattr(view, "can_change", None)
        return can_change(request.user, obj) if can_change else True


class IsAdminRole(BasePermission):
    message = "Only the Admin role may do this."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and has_role(request.user, Role.ADMIN)
