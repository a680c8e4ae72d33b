from django.apps import AppConfig


class GateConfig(AppConfig):
    name = "portal.gate"
    label = "gate"
    verbose_name = "Gate"

    def ready(self) -> None:
        from portal.gate import receivers, services
        from portal.talent import assignment_gate

        assignment_gate.register(services.GateKeeper())
        receivers.connect()
