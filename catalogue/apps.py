from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Programme catalogue")

    def ready(self) -> None:
        from catalogue import demo
        from portal.demo import register_seeder

        register_seeder(self.label, demo.seed)
