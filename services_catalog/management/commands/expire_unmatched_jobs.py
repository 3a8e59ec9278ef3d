"""Cancel, with a full refund, the paid jobs no provider took in time (run every hour)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from services_catalog.services import expire_unmatched_jobs, match_hours


class Command(BaseCommand):
    help = "Cancel with a full refund the jobs no provider took within --hours (CHAARSOO_JOB_MATCH_HOURS)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help=f"default {match_hours()}")

    def handle(self, *args, **options):
        expired = expire_unmatched_jobs(hours=options["hours"])
        for job in expired:
            self.stdout.write(f"Cancelled {job.number}: no provider found")
        self.stdout.write(self.style.SUCCESS(f"{len(expired)} job(s) cancelled."))
