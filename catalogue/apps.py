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
        _connect_page_epochs()


def _connect_page_epochs() -> None:
    """What the public catalogue pages show moves the catalogue's epoch (portal.page_cache);
    a learner's enrolments and results move their own."""
    from catalogue import models
    from portal import epochs

    for model in (
        models.Programme,
        models.ProgrammeVersion,
        models.ProgrammePartner,
        models.LearningOutcome,
        models.Pathway,
        models.Skill,
    ):
        epochs.bump_on_change(model, [epochs.CATALOGUE])
    epochs.bump_on_change(models.Offering, _offering_epochs)
    epochs.bump_on_change(models.Enrolment, lambda e: [epochs.holder(e.learner_id)])
    epochs.bump_on_change(models.AssessmentResult, lambda r: [epochs.holder(r.learner_id)])


def _offering_epochs(offering: object) -> list[str]:
    from portal import epochs

    # An enrolment changes only the places left, shown on its programme's page.
    if getattr(offering, "_epoch_update_fields", None) == frozenset({"enrolled_count"}):
        return [epochs.programme(offering.programme.slug)]  # type: ignore[attr-defined]
    return [epochs.CATALOGUE]
