from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "portal.talent"
    label = "talent"

    def ready(self) -> None:
        from portal.talent import timeline, timeline_entries

        timeline.register(
            entries=[timeline_entries.candidate_statuses], statuses=[timeline_entries.relationship_statuses]
        )
