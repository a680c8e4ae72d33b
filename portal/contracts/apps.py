from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "portal.contracts"
    label = "contracts"

    def ready(self) -> None:
        from portal.contracts import commitments, timeline_entries
        from portal.talent import availability, timeline

        availability.register(commitments.contract_events)
        timeline.register(
            entries=[timeline_entries.credentials, timeline_entries.contracts],
            statuses=[timeline_entries.engagement_statuses],
        )
