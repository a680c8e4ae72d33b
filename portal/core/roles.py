"""The three roles. They are Django groups (created by migration `core.0002`) so admins manage them in the
admin like any group; code asks `has_role`, never group names directly."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

__all__ = ["Role", "RoleRequiredMixin", "grant_role", "has_role", "roles_of"]


class Role(StrEnum):
    COORDINATOR = "Coordinator"
    ADMIN = "Admin"
    API_CLIENT = "API client"


def roles_of(user: AbstractBaseUser | AnonymousUser) -> set[Role]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in Role if role.value in names}
        if user.is_superuser:
            cached.add(Role.ADMIN)
        user._portal_roles = cached
    return cached


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def grant_role(user: Any, role: Role) -> None:
    """Put a user in a role. Admins also get `is_staff`, which Django admin requires."""
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if role is Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_portal_roles", None)


class RoleRequiredMixin(AccessMixin):
    """Pages for people: anonymous users go to login, users without one of `roles` get 403.

    The API client role is for machines and never sees pages, so it is not in any page's default.
    """

    roles: Iterable[Role] = (Role.COORDINATOR, Role.ADMIN)
    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, *self.roles):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


def grant_admin_role_every_permission(sender: Any = None, **kwargs: Any) -> None:
    """After every migrate (and every flush, which Django follows with the same signal): the three roles exist,
    and the Admin role administers everything in Django admin, including models added since."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    Group.objects.get(name=Role.ADMIN.value).permissions.set(Permission.objects.all())
