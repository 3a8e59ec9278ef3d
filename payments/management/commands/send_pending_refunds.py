"""Complete the card refunds left pending (written, sent or not, but Stripe's answer never
recorded): a periodic duty (core.periodic). Each is sent again under its own idempotency
key, so Stripe pays it at most once; refunds younger than --minutes are left alone, as
their own request may still be waiting for Stripe."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from payments.refunds import RESEND_AFTER
from payments.services import refunds_resend_pending


class Command(BaseCommand):
    help = "Send again the card refunds left pending for longer than --minutes (default 5)."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=int(RESEND_AFTER.total_seconds() // 60))

    def handle(self, *args, **options):
        done, failures = refunds_resend_pending(older_than=datetime.timedelta(minutes=options["minutes"]))
        for failure in failures:
            self.stderr.write(failure)
        style = self.style.SUCCESS if not failures else self.style.WARNING
        self.stdout.write(style(f"{done} pending refund(s) completed; {len(failures)} failed."))
