"""Indexes behind the public idea list: its order, and search in three languages.

On PostgreSQL a stored generated column `search_vector` holds the Finnish, Swedish and
English stemming of the title (weight A) and the description (weight B), with a GIN index;
a trigram index keeps partial title matches fast. The column is not a model field: only
`ideas.selectors.idea_search` reads it, and only on PostgreSQL. SQLite (the local demo)
searches with a plain LIKE.
"""

from django.db import migrations, models

SEARCH_VECTOR_SQL = " || ".join(
    f"setweight(to_tsvector('{config}'::regconfig, COALESCE({column}, '')), '{weight}')"
    for config in ("finnish", "swedish", "english")
    for column, weight in (("title", "A"), ("description", "B"))
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "ALTER TABLE ideas_idea ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({SEARCH_VECTOR_SQL}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ideas_idea_search_gin ON ideas_idea USING gin (search_vector)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ideas_idea_title_trgm ON ideas_idea "
        "USING gin ((UPPER(title::text)) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS ideas_idea_search_gin")
    schema_editor.execute("ALTER TABLE ideas_idea DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute("DROP INDEX IF EXISTS ideas_idea_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(
                fields=["cycle", "-created_at", "-id"],
                name="idea_list_public_idx",
                condition=models.Q(is_hidden=False) & ~models.Q(status="withdrawn"),
            ),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
