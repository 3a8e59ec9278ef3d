"""Send the card refunds of jobs that Stripe refused or never answered (they stay pending)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from services_catalog.services import send_pending_card_refunds


class Command(BaseCommand):
    help = "Retry every pending card refund of a service job (same idempotency key: never paid twice)."

    def handle(self, *args, **options):
        left = send_pending_card_refunds()
        style = self.style.SUCCESS if left == 0 else self.style.WARNING
        self.stdout.write(style(f"{left} card refund(s) still pending."))
