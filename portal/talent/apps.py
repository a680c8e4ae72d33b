from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "portal.talent"
    label = "talent"
