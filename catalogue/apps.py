from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Programme catalogue")

    def ready(self) -> None:
        from catalogue import demo, privacy
        from portal.demo import register_seeder
        from portal.signals import personal_data_export

        personal_data_export.connect(privacy.export_learning, dispatch_uid="catalogue.learning")

        register_seeder(self.label, demo.seed)
