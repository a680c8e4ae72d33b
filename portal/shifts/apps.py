from django.apps import AppConfig


class ShiftsConfig(AppConfig):
    name = "portal.shifts"
    label = "shifts"
