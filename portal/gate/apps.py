from django.apps import AppConfig


class GateConfig(AppConfig):
    name = "portal.gate"
    label = "gate"
    verbose_name = "Gate"

    def ready(self) -> None:
        from portal.gate import receivers, services, timeline_entries
        from portal.talent import assignment_gate, timeline

        assignment_gate.register(services.GateKeeper())
        timeline.register(entries=[timeline_entries.gate_findings])
        receivers.connect()
