from django.contrib import admin

from portal.core.models import AuditEntry, WorkerHeartbeat


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "content_type", "object_id", "action", "source", "actor", "detail")
    list_filter = ("source", "action", "content_type")
    search_fields = ("object_id", "detail", "actor__username")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "queue", "seen_at")
    readonly_fields = ("hostname", "seen_at")
