from django.apps import AppConfig


class ShiftsConfig(AppConfig):
    name = "portal.shifts"
    label = "shifts"

    def ready(self) -> None:
        from portal.integrations import outbox
        from portal.shifts import commitments, sourcing_bookings, timeline_entries
        from portal.talent import availability, timeline

        timeline.register(entries=[timeline_entries.worked_shifts, timeline_entries.worked_visits])
        availability.register(commitments.held_shifts, commitments.booked_visits)
        outbox.settled.connect(sourcing_bookings.settle_booking, dispatch_uid="shifts-settle-slot-booking")
