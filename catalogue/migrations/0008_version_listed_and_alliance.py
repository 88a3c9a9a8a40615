"""Catalogue search without a join to the programmes: each version records its alliance (a
copy, as for its other filter columns) and whether the catalogue lists it. Migration 0009
fills both from the programmes and 0010 makes the alliance required and adds the indexes,
each in its own transaction (PostgreSQL refuses to alter or index a table with foreign-key
checks still pending from updates)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("alliances", "0002_initial"),
        ("catalogue", "0007_merge_parallel_work"),
    ]

    operations = [
        migrations.AddField(
            model_name="programmeversion",
            name="alliance",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="alliances.alliance",
            ),
        ),
        migrations.AddField(
            model_name="programmeversion",
            name="listed",
            field=models.BooleanField(default=False, editable=False),
        ),
    ]
