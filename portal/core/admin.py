import json

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q

from portal.core.admin_base import PortalModelAdmin
from portal.core.audit import with_creation_values
from portal.core.models import ApiToken, AuditEntry, WorkerHeartbeat


@admin.register(AuditEntry)
class AuditEntryAdmin(PortalModelAdmin):
    list_display = ("at", "content_type", "object_id", "action", "source", "actor", "detail")
    list_filter = ("source", "action", "content_type")
    search_fields = ("object_id", "detail", "actor__username")
    readonly_fields = [f.name if f.name != "changes" else "changes_shown" for f in AuditEntry._meta.fields]
    date_hierarchy = "at"

    @admin.display(description="Changes (old, new)")
    def changes_shown(self, entry: AuditEntry) -> str:
        """As the record's own history shows them: a create entry that names its fields gets their values."""
        record = entry.record
        if record is not None and hasattr(record, "audit_history"):
            later = record.audit_history().filter(Q(at__gt=entry.at) | Q(at=entry.at, pk__gt=entry.pk))
            entry = with_creation_values([entry, *later], record)[0]
        return json.dumps(entry.changes, default=str)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(PortalModelAdmin):
    machine_made = True
    list_display = ("hostname", "queue", "seen_at")
    readonly_fields = ("hostname", "seen_at")


class TokenHolderFilter(admin.SimpleListFilter):
    """Tokens per API client (or Admin): only users who hold a token are offered."""

    title = "holder"
    parameter_name = "holder"

    def lookups(self, request, model_admin):
        holders = get_user_model().objects.filter(auth_token_set__isnull=False).distinct().order_by("username")
        return [(user.pk, user.get_username()) for user in holders]

    def queryset(self, request, queryset):
        return queryset.filter(user_id=self.value()) if self.value() else queryset


@admin.register(ApiToken)
class ApiTokenAdmin(PortalModelAdmin):
    """Admins see every token by holder and revoke (delete) any; tokens are created by their holder on the API
    tokens page or with `manage.py create_api_token`, so the admin never handles one."""

    list_display = ("prefix", "user", "name", "created", "expiry", "is_expired", "last_used_at")
    list_filter = (TokenHolderFilter,)
    list_select_related = ("user",)
    search_fields = ("token_key", "name", "user__username")
    ordering = ("user__username", "-created")
    fields = ("prefix", "user", "name", "created", "expiry", "last_used_at")
    readonly_fields = fields

    @admin.display(description="token")
    def prefix(self, obj: ApiToken) -> str:
        return f"{obj.token_key}…"

    @admin.display(boolean=True, description="expired")
    def is_expired(self, obj: ApiToken) -> bool:
        return obj.is_expired

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
