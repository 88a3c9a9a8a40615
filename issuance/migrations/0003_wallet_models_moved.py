# The wallet's models moved to the wallet app (wallet/migrations/0001_initial.py), keeping their
# tables: here they leave the issuance app's state only; no table is dropped.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('issuance', '0002_wallet'),
        ('wallet', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ShareLink'),
                migrations.DeleteModel(name='WalletOffer'),
                migrations.DeleteModel(name='ImportedCredential'),
            ],
            database_operations=[],
        ),
    ]
