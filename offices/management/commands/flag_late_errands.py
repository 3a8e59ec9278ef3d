"""Announce office errands whose current step passed its time target (once per step)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from offices.services.late import flag_late_errands


class Command(BaseCommand):
    help = "Flag office errands whose current step is late, and tell both offices."

    def handle(self, *args, **options):
        flagged = flag_late_errands()
        for errand in flagged:
            self.stdout.write(f"{errand.job.number}: {errand.get_status_display()}")
        self.stdout.write(self.style.SUCCESS(f"{len(flagged)} late errand(s) flagged."))
