from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Portal core"

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django.db.models.signals import post_migrate

        from portal.core.logs import connect_task_log_context, forget_request_id, install_log_context
        from portal.core.roles import grant_admin_role_every_permission

        install_log_context()
        connect_task_log_context()
        request_finished.connect(forget_request_id, dispatch_uid="core-log-forget-request-id")

        post_migrate.connect(grant_admin_role_every_permission, dispatch_uid="core-admin-permissions")

        from django.conf import settings

        if getattr(settings, "PORTAL_FORGET_CONTENT_TYPES_PER_TASK", False):
            from celery.signals import task_prerun
            from django.contrib.contenttypes.models import ContentType

            task_prerun.connect(
                lambda **kwargs: ContentType.objects.clear_cache(), weak=False, dispatch_uid="core-fresh-ctypes"
            )
