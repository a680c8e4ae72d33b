"""Post a few open demo shifts to the vendor that takes shifts (`bin/demo` runs it after connecting the sandboxes):
without it no demo shift ever reached IntelyCare, so its fill-and-webhook loop was never seen."""

from __future__ import annotations

import random

from django.core.management.base import BaseCommand, CommandParser

from portal.core.audit import audit_context
from portal.shifts import demo as shifts_demo


class Command(BaseCommand):
    help = "Post a few open demo shifts to the first active connection that takes shifts (once per connection)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=4, help="How many shifts to post.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed, the same shifts.")

    def handle(self, *args, count: int, seed: int, **options) -> None:
        with audit_context("system", detail="post_demo_shifts"):
            posted = shifts_demo.post_to_vendor(random.Random(seed), count)
        if not posted:
            self.stdout.write("No demo shift posted (no connection takes shifts, or this one has some already).")
            return
        self.stdout.write(f"Posted {len(posted)} open shifts to {posted[0].connection}; the outbox sends them.")
