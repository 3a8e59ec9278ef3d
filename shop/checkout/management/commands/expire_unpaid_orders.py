"""Cancel card orders left unpaid for too long and release their stock (run from cron)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from oscar.core.loading import get_model

from payments.errors import GatewayUnavailable
from shop.order_status import PENDING_PAYMENT
from shop.payables import order_expire_unpaid

Order = get_model("order", "Order")


class Command(BaseCommand):
    help = "Cancel orders waiting for card payment longer than --minutes (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=30)

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(minutes=options["minutes"])
        cancelled = kept = 0
        for order in Order.objects.filter(status=PENDING_PAYMENT, date_placed__lt=cutoff).order_by("pk"):
            try:
                if order_expire_unpaid(order=order):
                    cancelled += 1
                else:
                    kept += 1
            except GatewayUnavailable:
                self.stderr.write(f"Stripe unreachable; order {order.number} left for the next run.")
        self.stdout.write(f"Cancelled {cancelled} unpaid orders; {kept} turned out to be paid.")
