"""Gift points whose refund window has closed become available (periodic duty)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from referrals.services import release_due_points


class Command(BaseCommand):
    help = "Move gift points past their refund window from pending to available."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{release_due_points()} earning(s) released")
