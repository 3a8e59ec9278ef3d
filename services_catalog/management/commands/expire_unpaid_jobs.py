"""Cancel (free of charge) accepted jobs whose upfront payment or deposit never arrived."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from services_catalog.services import expire_unpaid_jobs, payment_hours


class Command(BaseCommand):
    help = "Cancel accepted jobs still unpaid after --hours (CHAARSOO_JOB_PAYMENT_HOURS)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help=f"default {payment_hours()}")

    def handle(self, *args, **options):
        expired = expire_unpaid_jobs(hours=options["hours"])
        for job in expired:
            self.stdout.write(f"Cancelled {job.number}: not paid in time")
        self.stdout.write(self.style.SUCCESS(f"{len(expired)} job(s) cancelled."))
