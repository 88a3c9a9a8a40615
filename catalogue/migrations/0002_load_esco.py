"""Load the ESCO skills and occupations shipped in catalogue/data (no network)."""

from django.db import migrations


def load(apps, schema_editor):
    from catalogue.esco import load_shipped_data

    load_shipped_data(
        apps.get_model("catalogue", "Skill"),
        apps.get_model("catalogue", "Occupation"),
        apps.get_model("catalogue", "OccupationSkill"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
