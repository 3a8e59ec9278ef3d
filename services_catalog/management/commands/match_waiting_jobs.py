"""Try again to find a provider for every job still waiting for one (a provider may have
become free, or joined, since the job was paid). Run it every few minutes."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from services_catalog.models import Job
from services_catalog.services import job_match


class Command(BaseCommand):
    help = "Match the jobs waiting for a provider."

    def handle(self, *args, **options):
        matched = 0
        for job in Job.objects.filter(status=Job.Status.MATCHING).order_by("matching_since", "pk"):
            provider = job_match(job=job)
            if provider is not None:
                matched += 1
                self.stdout.write(f"{job.number} -> {provider.display_name}")
        self.stdout.write(self.style.SUCCESS(f"{matched} job(s) matched."))
