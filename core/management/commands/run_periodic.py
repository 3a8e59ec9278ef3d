"""Run every periodic duty once (from cron, every five minutes): see core/periodic.py.

`--every SECONDS` keeps running them, one round every SECONDS, until stopped: `make run`
starts it beside the development server, so the demo expires unpaid orders, retries
matching and releases vendor earnings as production does."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from core.periodic import run_periodic


class Command(BaseCommand):
    help = "Run every periodic duty once: unpaid orders and jobs, vendor payouts, matching, queued messages."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0,
                            help="keep running: one round every this many seconds (0: once)")
        parser.add_argument("--rounds", type=int, default=0, help="with --every: stop after this many rounds")

    def handle(self, *args, **options):
        every, rounds = options["every"], options["rounds"]
        if every <= 0:
            self._round(raise_on_failure=True)
            return
        done = 0
        while True:
            self._round(raise_on_failure=False)  # a failed round is logged; the next one comes
            done += 1
            if rounds and done >= rounds:
                return
            time.sleep(every)

    def _round(self, *, raise_on_failure: bool) -> None:
        outcomes = run_periodic()
        for command, outcome in outcomes.items():
            self.stdout.write(f"{command}: {outcome}")
        failed = [command for command, outcome in outcomes.items() if outcome.startswith("failed:")]
        if failed and raise_on_failure:
            raise CommandError(f"{len(failed)} duty(ies) failed: {', '.join(failed)}")
