from django.db import migrations, models


class Migration(migrations.Migration):
    """Credentials issued through the VC-API before this migration carry a suspension entry
    (they are marked so); new ones carry only their revocation entry."""

    dependencies = [
        ("issuance", "0005_merge_parallel_work"),
    ]

    operations = [
        migrations.AddField(
            model_name="vcapicredential",
            name="carries_suspension_entry",
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name="vcapicredential",
            name="carries_suspension_entry",
            field=models.BooleanField(default=False),
        ),
    ]
