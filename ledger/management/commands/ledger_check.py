"""Prove the ledger is consistent: every cached balance equals the sum of its legs and
every transfer sums to zero. Exits 1 and lists each problem otherwise (run from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ledger.models import Account, Leg, Transfer
from ledger.selectors import accounts_drifting, transfers_unbalanced


class Command(BaseCommand):
    help = "Check every ledger account's cached balance against the sum of its legs; exit 1 on any drift."

    def handle(self, *args, **options) -> None:
        drifting = accounts_drifting()
        unbalanced = transfers_unbalanced()
        for drift in drifting:
            self.stderr.write(
                f"DRIFT account {drift.account.code} (#{drift.account.pk}): cached {drift.cached}, "
                f"legs sum {drift.legs_total}, difference {drift.cached - drift.legs_total} {drift.account.currency}"
            )
        for imbalance in unbalanced:
            self.stderr.write(
                f"UNBALANCED transfer #{imbalance.transfer.pk} ({imbalance.transfer.idempotency_key}): "
                f"{imbalance.legs} legs summing to {imbalance.total} {imbalance.transfer.currency}"
            )
        if drifting or unbalanced:
            raise CommandError(
                f"ledger_check failed: {len(drifting)} account(s) drifting, {len(unbalanced)} transfer(s) unbalanced."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {Account.objects.count()} accounts, {Transfer.objects.count()} transfers, "
                f"{Leg.objects.count()} legs; every cached balance equals the sum of its legs "
                "and every transfer sums to zero."
            )
        )
