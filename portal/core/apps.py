from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Portal core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from portal.core.roles import grant_admin_role_every_permission

        post_migrate.connect(grant_admin_role_every_permission, dispatch_uid="core-admin-permissions")
