from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("Alliances and institutions")

    def ready(self) -> None:
        from alliances import demo
        from portal.demo import register_seeder

        register_seeder(self.label, demo.seed)
