"""`manage.py search_index --rebuild`: every document again, with a progress bar.

Database backend: rebuilt in place, kind by kind. Elasticsearch (ELASTICSEARCH_URL set):
a new versioned index is created, bulk-loaded, refreshed, and the alias swapped to it;
changes made meanwhile are queued (PendingIndex) and replayed onto the new index.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from search.backends import external_backend
from search.indexing import rebuild_database, rebuild_external


def progress_bar(label: str, quiet: bool):
    def show(done: int, total: int) -> None:
        if quiet or not total:
            return
        width = 30
        filled = int(width * min(done, total) / total)
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


class Command(BaseCommand):
    help = "Rebuild the search index (database, and Elasticsearch when ELASTICSEARCH_URL is set)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Build every document again.")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, rebuild=False, quiet=False, **options):
        if not rebuild:
            raise CommandError("Say what to do: --rebuild")
        count = rebuild_database(progress=progress_bar("Database index", quiet))
        self.stdout.write(f"database index: {count} products")
        external = external_backend()
        if external is not None:
            name = rebuild_external(external, progress=progress_bar("Elasticsearch", quiet))
            self.stdout.write(f"elasticsearch: alias now on {name}; changes made meanwhile replayed")
