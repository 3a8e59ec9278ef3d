"""The engine's own full-text index beside SearchDocument (see search/backends/database.py).

SQLite: an FTS5 virtual table (rowid = document id; prefixes of 2 to 4 letters indexed
for as-you-type). PostgreSQL: a stored generated tsvector column under a GIN index, and
pg_trgm with a trigram index over the dictionary of words (typo tolerance).
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE site_search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0', "
    "prefix = '2 3 4')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS site_search_fts"]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE site_search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(title_norm, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(text, '')), 'D')) STORED",
    "CREATE INDEX site_search_doc_tsv ON site_search_searchdocument USING gin (tsv)",
    "CREATE INDEX site_search_term_trgm ON site_search_searchterm USING gin (term gin_trgm_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS site_search_term_trgm",
    "DROP INDEX IF EXISTS site_search_doc_tsv",
    "ALTER TABLE site_search_searchdocument DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("site_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
