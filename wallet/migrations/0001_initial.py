# The wallet's models moved here from the issuance app. Their tables keep their names
# (issuance_sharelink, ...), so this migration changes only Django's idea of which app owns them:
# no table is created, renamed or copied.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models

import wallet.models

MOVED = ["importedcredential", "sharelink", "walletoffer"]


def move_content_types(apps, schema_editor):
    """Admin log entries and permissions follow the models (an upgraded database has the old
    app's content types; a new one has none yet)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="issuance", model__in=MOVED).update(
        app_label="wallet"
    )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="wallet", model__in=MOVED).update(
        app_label="issuance"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('alliances', '0002_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('issuance', '0002_wallet'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportedCredential',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('document', models.JSONField()),
                        ('content_sha256', models.CharField(max_length=64)),
                        ('credential_id', models.CharField(blank=True, max_length=500)),
                        ('title', models.CharField(blank=True, max_length=300)),
                        ('issuer_id', models.CharField(max_length=500)),
                        ('issuer_name', models.CharField(blank=True, max_length=300)),
                        ('issuer_known', models.BooleanField(default=False)),
                        ('verification', models.JSONField(default=dict)),
                        ('imported_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='imported_credentials', to=settings.AUTH_USER_MODEL)),
                        ('registered_institution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='alliances.institution')),
                    ],
                    options={
                        'db_table': 'issuance_importedcredential',
                        'ordering': ['-imported_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ShareLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(default=wallet.models.new_share_token, max_length=64, unique=True)),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='expires')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('view_count', models.PositiveIntegerField(default=0)),
                        ('last_viewed_at', models.DateTimeField(blank=True, null=True)),
                        ('credentials', models.ManyToManyField(blank=True, related_name='share_links', to='issuance.credential')),
                        ('imported_credentials', models.ManyToManyField(blank=True, related_name='share_links', to='wallet.importedcredential')),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='share_links', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'issuance_sharelink',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='WalletOffer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code_hash', models.CharField(max_length=64, unique=True)),
                        ('tx_code_hash', models.CharField(blank=True, max_length=64)),
                        ('failed_tx_code_attempts', models.PositiveSmallIntegerField(default=0)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('expires_at', models.DateTimeField()),
                        ('code_redeemed_at', models.DateTimeField(blank=True, null=True)),
                        ('access_token_hash', models.CharField(blank=True, max_length=64, null=True, unique=True)),
                        ('access_token_expires_at', models.DateTimeField(blank=True, null=True)),
                        ('c_nonce', models.CharField(blank=True, max_length=64)),
                        ('c_nonce_expires_at', models.DateTimeField(blank=True, null=True)),
                        ('delivered_at', models.DateTimeField(blank=True, null=True)),
                        ('holder_did', models.CharField(blank=True, max_length=300)),
                        ('credential', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='wallet_offers', to='issuance.credential')),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='wallet_offers', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'issuance_walletoffer',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='importedcredential',
                    constraint=models.UniqueConstraint(fields=('learner', 'content_sha256'), name='imported_credential_once_per_learner'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types, elidable=True),
    ]
