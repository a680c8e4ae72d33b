"""Fill every domain with realistic demo records (README command 1 calls it).

Domains are seeded in a fixed order, each by its own `portal.<app>.demo.seed(rng, scale)`, because later
domains build on earlier ones (shifts need facilities and people).
"""

from __future__ import annotations

import random

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from portal.billing import demo as billing_demo
from portal.contracts import demo as contracts_demo
from portal.core.audit import audit_context
from portal.demo import today as today_demo
from portal.gate import demo as gate_demo
from portal.jobs import demo as jobs_demo
from portal.jobs.models import Facility
from portal.shifts import demo as shifts_demo
from portal.talent import demo as talent_demo
from portal.talent.models import TalentProfile

# Today's seeder comes last: it dates back and adds to what the domains made (issue 18).
DEMO_MODULES = (jobs_demo, talent_demo, shifts_demo, contracts_demo, billing_demo, gate_demo, today_demo)


class Command(BaseCommand):
    help = "Create demo jobs, talent, shifts, contracts, billing records and gate findings (once, unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="Size multiplier (1: a few hundred rows).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed, the same data.")
        parser.add_argument("--force", action="store_true", help="Add demo data even if some data exists.")

    def handle(self, *args, scale: int, seed: int, force: bool, **options) -> None:
        if (Facility.objects.exists() or TalentProfile.objects.exists()) and not force:
            self.stdout.write("Demo data already present; nothing done (use --force to add more).")
            return
        rng = random.Random(seed)
        with transaction.atomic(), audit_context("system", detail="seed_demo"):
            for module in DEMO_MODULES:
                counts = module.seed(rng, scale)
                summary = ", ".join(f"{count} {what.replace('_', ' ')}" for what, count in counts.items())
                self.stdout.write(f"  {module.__name__}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
