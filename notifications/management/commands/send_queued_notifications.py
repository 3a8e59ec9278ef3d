"""Queue again the messages that stayed queued (the broker was down when they were stored)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.services import messages_deliver_queued


class Command(BaseCommand):
    help = "Send the email and SMS messages still queued after --older-than seconds (default 300)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=300, help="seconds a message has waited (default 300)")

    def handle(self, *args, **options):
        count = messages_deliver_queued(older_than_seconds=options["older_than"])
        self.stdout.write(f"{count} queued message(s) handed to the workers.")
