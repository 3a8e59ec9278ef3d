"""Periodic duty: send to Elasticsearch the changes it missed while it was down."""

from django.core.management.base import BaseCommand

from search.indexing import replay_pending


class Command(BaseCommand):
    help = "Send queued search changes to Elasticsearch again (nothing to do without ELASTICSEARCH_URL)."

    def handle(self, *args, **options):
        self.stdout.write(f"{replay_pending()} queued search change(s) sent")
