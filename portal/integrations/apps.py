from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "portal.integrations"
    label = "integrations"
    verbose_name = "Vendor integrations"

    def ready(self) -> None:
        from vendors.registry import all_providers

        for provider in all_providers().values():
            provider.ready()
