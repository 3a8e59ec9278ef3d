"""Remind customers of gift points about to expire, and expire those past their date
(periodic duty)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from referrals.services import expire_points


class Command(BaseCommand):
    help = "Send expiry reminders and expire unspent gift points past their date."

    def handle(self, *args, **options) -> None:
        reminded, expired = expire_points()
        self.stdout.write(f"{reminded} reminder(s) sent, {expired} earning(s) expired")
