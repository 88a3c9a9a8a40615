"""Fills the versions' alliance and listed flag from their programmes (see migration 0008)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_alliance_and_listed(apps, schema_editor):
    Programme = apps.get_model("catalogue", "Programme")
    ProgrammeVersion = apps.get_model("catalogue", "ProgrammeVersion")
    ProgrammeVersion.objects.update(
        alliance_id=Subquery(
            Programme.objects.filter(pk=OuterRef("programme_id")).values("alliance_id")[:1]
        )
    )
    listed = (
        Programme.objects.filter(published_version__isnull=False)
        .exclude(status="archived")
        .values("published_version_id")
    )
    ProgrammeVersion.objects.filter(pk__in=listed).update(listed=True)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0008_version_listed_and_alliance")]

    operations = [migrations.RunPython(fill_alliance_and_listed, migrations.RunPython.noop)]
