from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "portal.integrations"
    label = "integrations"
    verbose_name = "Vendor integrations"

    def ready(self) -> None:
        from django.core import checks

        from portal.integrations.checks import check_broker_waits
        from portal.integrations.registry import all_providers

        checks.register(check_broker_waits, "celery")

        for provider in all_providers().values():
            provider.ready()
