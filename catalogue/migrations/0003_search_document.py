"""Full-text search of the catalogue: a precomputed document per programme version and, on
PostgreSQL only, a GIN index on it. SQLite (the embedded demo) keeps the column empty and
searches with icontains, so the index operation does nothing there."""

import catalogue.models
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEX = GinIndex(fields=["search_document"], name="version_search_gin")


class AddIndexOnPostgres(migrations.AddIndex):
    """AddIndex that only touches PostgreSQL; the index stays out of the model state so
    that SQLite migrations and `makemigrations` never see it."""

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

    operations = [
        migrations.AddField(
            model_name="programmeversion",
            name="search_document",
            field=catalogue.models.SearchDocumentField(editable=False, null=True),
        ),
        AddIndexOnPostgres(model_name="programmeversion", index=INDEX),
    ]
