"""`manage.py sync VENDOR [--resource NAME] [--full]`: run syncs in the foreground with progress and a summary."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.core.templatetags.portal_format import duration
from portal.integrations.models import SyncRun, VendorConnection
from portal.integrations.registry import UnknownVendor, get_provider
from portal.integrations.sync import SyncAlreadyRunning, run_sync


class Command(BaseCommand):
    help = "Sync a vendor's resources now (incremental unless --full); exits non-zero when a run fails."

    def add_arguments(self, parser):
        parser.add_argument("vendor")
        parser.add_argument("--resource", action="append", help="Repeatable; default: every resource.")
        parser.add_argument("--full", action="store_true", help="Ignore the watermark and archive what vanished.")
        parser.add_argument("--connection", help="Connection name, when the vendor has several.")

    def handle(self, *args, vendor: str, resource: list[str] | None, full: bool, connection: str | None, **opts):
        try:
            provider = get_provider(vendor)
        except UnknownVendor as exc:
            raise CommandError(str(exc)) from None
        connections = VendorConnection.objects.filter(vendor=vendor, is_active=True)
        if connection:
            connections = connections.filter(name=connection)
        if not connections:
            raise CommandError(f"No active {provider.label} connection; create one with `manage.py connect {vendor}`.")
        names = resource or list(provider.resources)
        unknown = set(names) - set(provider.resources)
        if unknown or not names:
            raise CommandError(
                f"{provider.label} syncs: {', '.join(sorted(provider.resources)) or 'nothing (webhooks only)'}."
            )
        failed = []
        for conn in connections:
            for name in names:
                try:
                    run = run_sync(conn, name, full=full, on_page=self._progress)
                except SyncAlreadyRunning as exc:
                    failed.append(str(exc))
                    continue
                self.stdout.write(
                    f"{conn.name} {name}: {run.get_state_display()} in {duration(run.duration)} - "
                    f"{_counted(run.pages, 'page')}, {run.created} created, {run.updated} updated, "
                    f"{run.unchanged} unchanged, {run.failed} failed, {run.archived} archived, "
                    f"{run.warned} kept values the vendor sent unreadable"
                )
                if run.state == SyncRun.State.FAILED:
                    failed.append(f"{conn.name} {name}: {run.error}")
        if failed:
            raise CommandError("Sync failed: " + "; ".join(failed))

    def _progress(self, run: SyncRun) -> None:
        # A whole line per page: a carriage-return line left open ran into the log lines written meanwhile.
        self.stdout.write(f"  page {run.pages}: {_counted(run.processed, 'record')}")
        self.stdout.flush()


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
