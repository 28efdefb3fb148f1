"""The full-text index of implementations, one per database (see docs/search.md).

PostgreSQL: two generated tsvector columns, ``search_vector`` (name and extra tokens: "does it
match at all") and ``search_name_vector`` (name tokens only: the name-first ranking tiers), each
with a GIN index, and a btree index for "most used first" ordering. SQLite: an FTS5 table keyed by the implementation id
(rowid), unicode61 tokenizer (trigram would miss two-character words such as 户口), kept in sync
by ``zwfw.catalog.search``. Neither is part of Django's model state: the ORM never reads them.
After this migration on a database that already has implementations, run
``manage.py catalog_reindex``.
"""

from django.db import migrations

PUBLISHED = "status = 'published' AND current_version_id IS NOT NULL"
POSTGRES_FORWARD = [
    # The tokens are already segmented and lower-cased: build the vectors without the text-search
    # parser (it does not segment Chinese), one lexeme per token.
    """
    ALTER TABLE catalog_implementation
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        array_to_tsvector(array_remove(string_to_array(search_tokens || ' ' || search_extra, ' '), ''))
    ) STORED,
    ADD COLUMN search_name_vector tsvector GENERATED ALWAYS AS (
        array_to_tsvector(array_remove(string_to_array(search_tokens, ' '), ''))
    ) STORED
    """,
    # Partial: exactly what citizens can find (selectors.published_list).
    f"CREATE INDEX catalog_impl_search_gin ON catalog_implementation USING gin (search_vector) WHERE {PUBLISHED}",
    "CREATE INDEX catalog_impl_search_name_gin ON catalog_implementation "
    f"USING gin (search_name_vector) WHERE {PUBLISHED}",
    # "Most used first", and with the name vector in the index, the walk through a name tier in
    # that order reads no table rows (an index-only scan).
    "CREATE INDEX catalog_impl_rank_idx ON catalog_implementation (use_count DESC, search_name, id) "
    f"INCLUDE (search_name_vector) WHERE {PUBLISHED}",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_impl_rank_idx",
    "DROP INDEX IF EXISTS catalog_impl_search_name_gin",
    "DROP INDEX IF EXISTS catalog_impl_search_gin",
    "ALTER TABLE catalog_implementation DROP COLUMN IF EXISTS search_name_vector, "
    "DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_implementation_fts USING fts5("
    "name_tokens, extra_tokens, tokenize = 'unicode61 remove_diacritics 0')",
    "INSERT INTO catalog_implementation_fts (rowid, name_tokens, extra_tokens) "
    "SELECT id, search_tokens, search_extra FROM catalog_implementation",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS catalog_implementation_fts",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_FORWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
