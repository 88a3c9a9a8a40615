from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuanceConfig(AppConfig):
    name = "issuance"
    verbose_name = _("Credentials")

    def ready(self) -> None:
        """Issuance reacts to recorded results and contributes its part of the demo data."""
        from catalogue.signals import result_grade_corrected, result_passed, result_withdrawn
        from issuance import demo, identity, services
        from portal.demo import register_seeder

        identity.vocabulary_context_url()  # so the verifier reads this portal's credentials

        result_passed.connect(services.plan_credentials_for_results, dispatch_uid="issuance")
        result_withdrawn.connect(services.withdraw_credentials_for_results, dispatch_uid="issuance")
        result_grade_corrected.connect(
            services.reissue_credentials_for_corrected_grades, dispatch_uid="issuance"
        )
        register_seeder(self.label, demo.seed)

        from issuance import models
        from portal import epochs

        epochs.bump_on_change(models.SigningKey, [epochs.ISSUERS])
        epochs.bump_on_change(models.Credential, lambda c: [epochs.holder(c.learner_id)])
