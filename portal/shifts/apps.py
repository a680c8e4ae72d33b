from django.apps import AppConfig


class ShiftsConfig(AppConfig):
    name = "portal.shifts"
    label = "shifts"

    def ready(self) -> None:
        from portal.shifts import timeline_entries
        from portal.talent import timeline

        timeline.register(entries=[timeline_entries.worked_shifts, timeline_entries.worked_visits])
