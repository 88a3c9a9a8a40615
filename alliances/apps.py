from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("Alliances and institutions")

    def ready(self) -> None:
        from alliances import demo
        from portal.demo import register_seeder

        register_seeder(self.label, demo.seed)

        from alliances import models
        from portal import epochs

        for model in (models.Alliance, models.Institution):
            epochs.bump_on_change(model, [epochs.CATALOGUE, epochs.ISSUERS])
        # Memberships also decide what alliance admins may do (alliances.permissions.roles_of).
        epochs.bump_on_change(models.Membership, [epochs.CATALOGUE, epochs.ISSUERS, epochs.ROLES])
        epochs.bump_on_change(models.StaffRole, [epochs.ROLES])
        epochs.bump_on_change(models.AllianceRole, [epochs.ROLES])
