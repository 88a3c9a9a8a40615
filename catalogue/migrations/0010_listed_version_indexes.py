"""Indexes of the listed versions. On PostgreSQL the full-text index covers listed versions
only (earlier versions and archived programmes are never searched); SQLite searches with
icontains and has no full-text index."""

import django.db.models.deletion
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models
from django.db.models import Q

ALL_VERSIONS_SEARCH_INDEX = GinIndex(fields=["search_document"], name="version_search_gin")
LISTED_SEARCH_INDEX = GinIndex(
    fields=["search_document"], name="version_listed_search_gin", condition=Q(listed=True)
)


class SwapIndexOnPostgres(migrations.operations.base.Operation):
    """Replaces a PostgreSQL-only index (kept out of the model state, like migration 0003's)."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name, old, new):
        self.model_name = model_name
        self.old = old
        self.new = new

    def state_forwards(self, app_label, state):
        pass

    def _swap(self, app_label, schema_editor, state, remove, add):
        if schema_editor.connection.vendor == "postgresql":
            model = state.apps.get_model(app_label, self.model_name)
            schema_editor.remove_index(model, remove)
            schema_editor.add_index(model, add)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._swap(app_label, schema_editor, to_state, self.old, self.new)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._swap(app_label, schema_editor, from_state, self.new, self.old)

    def describe(self):
        return f"Replace index {self.old.name} by {self.new.name} on PostgreSQL"


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0009_fill_version_listed_and_alliance")]

    operations = [
        migrations.AlterField(
            model_name="programmeversion",
            name="alliance",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="alliances.alliance",
            ),
        ),
        migrations.AddIndex(
            model_name="programmeversion",
            index=models.Index(
                condition=Q(listed=True),
                fields=["title_en", "programme"],
                name="version_listed_title_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="programmeversion",
            index=models.Index(
                condition=Q(listed=True),
                fields=[
                    "eqf_level",
                    "participation_form",
                    "ects",
                    "languages",
                    "alliance",
                    "title_en",
                    "programme",
                ],
                name="version_listed_facets_idx",
            ),
        ),
        SwapIndexOnPostgres("programmeversion", ALL_VERSIONS_SEARCH_INDEX, LISTED_SEARCH_INDEX),
    ]
