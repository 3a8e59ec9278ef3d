"""Run every periodic duty once (from cron, every five minutes): see core/periodic.py."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.periodic import run_periodic


class Command(BaseCommand):
    help = "Run every periodic duty once: unpaid orders and jobs, vendor payouts, matching, queued messages."

    def handle(self, *args, **options):
        outcomes = run_periodic()
        for command, outcome in outcomes.items():
            self.stdout.write(f"{command}: {outcome}")
        failed = [command for command, outcome in outcomes.items() if outcome.startswith("failed:")]
        if failed:
            raise CommandError(f"{len(failed)} duty(ies) failed: {', '.join(failed)}")
