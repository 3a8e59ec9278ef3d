"""Delete Idempotency-Key records past their lifetime (24 h; core.idempotency)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.idempotency import expire_keys


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than IDEMPOTENCY_KEY_HOURS (24)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{expire_keys()} expired idempotency keys deleted")
