"""Cron: release vendors' held sale proceeds whose return window has passed.

    manage.py release_vendor_payables

Safe to run as often as you like (hourly is plenty): each line is released once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from vendors.services import payable_release_due


class Command(BaseCommand):
    help = "Move vendors' held payables to available once each line's return window has passed."

    def handle(self, *args, **options) -> None:
        released = payable_release_due()
        self.stdout.write(f"Released {released} order line(s) to vendors' available balances.")
