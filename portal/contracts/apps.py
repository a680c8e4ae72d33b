from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "portal.contracts"
    label = "contracts"
