"""Send the card refunds of shipments cancelled by their customer (P5) that Stripe refused
or never answered (they stay pending)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from vendors.services import shipment_refunds_send


class Command(BaseCommand):
    help = "Retry every pending card refund of a shipment its customer cancelled (same key: never paid twice)."

    def handle(self, *args, **options):
        left = len(shipment_refunds_send())
        style = self.style.SUCCESS if left == 0 else self.style.WARNING
        self.stdout.write(style(f"{left} shipment refund(s) still pending."))
