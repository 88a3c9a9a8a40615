"""PostgreSQL-only indexes for catalogue search: a GIN index on the full-text document of
programme versions (the exact expression `catalogue.selectors.search_vector()` queries).


SQLite (the embedded demo) has no GIN indexes and searches with icontains instead, so the
operation does nothing there.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(SearchVector("search_text", config="simple"), name="version_search_gin")


class AddIndexOnPostgres(migrations.AddIndex):
    """AddIndex that only touches the database on PostgreSQL; the index stays out of the
    model state so that SQLite migrations and `makemigrations` never see it."""

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = to_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.remove_index(model, self.index)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_load_esco")]

    operations = [AddIndexOnPostgres(model_name="programmeversion", index=INDEX)]
