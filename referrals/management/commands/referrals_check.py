"""Prove gift points are consistent (R3): no earning without its payment, no payment
earned twice, every earning on the ledger. Exits 1 listing each problem (run from cron,
next to `ledger_check`, which proves the points accounts balance like every account)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from referrals.checks import problems
from referrals.models import Earning


class Command(BaseCommand):
    help = "Check gift points: no earning without its payment, no payment earned twice; exit 1 on any problem."

    def handle(self, *args, **options) -> None:
        found = problems()
        for line in found:
            self.stderr.write(line)
        if found:
            raise CommandError(f"referrals_check failed: {len(found)} problem(s).")
        self.stdout.write(self.style.SUCCESS(
            f"OK: {Earning.objects.count()} earnings, each from one payment, each on the ledger."
        ))
