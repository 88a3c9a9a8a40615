from __future__ import annotations

from typing import Any

from rest_framework import serializers

from alliances.models import Institution
from catalogue.models import Offering
from issuance.models import Credential, IssuanceJob


class CredentialOutputSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    credential_id = serializers.CharField(read_only=True)
    learner = serializers.SerializerMethodField()
    issuer: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    status = serializers.SerializerMethodField()
    offering = serializers.SerializerMethodField()
    carries_suspension_entry = serializers.BooleanField(
        read_only=True,
        help_text="whether the credential can be suspended: only credentials issued with a "
        "suspension status entry can (new ones carry a revocation entry only)",
    )

    class Meta:
        model = Credential
        fields = [
            "id",
            "credential_id",
            "kind",
            "title",
            "state",
            "status",
            "learner",
            "issuer",
            "offering",
            "issued_at",
            "revoked_at",
            "revocation_reason",
            "suspended_at",
            "suspension_reason",
            "carries_suspension_entry",
            "failure_reason",
        ]

    def get_learner(self, credential: Credential) -> dict[str, str]:
        return {"name": credential.learner.display_name, "email": credential.learner.email}

    def get_status(self, credential: Credential) -> str:
        return credential.lifecycle_status()

    def get_offering(self, credential: Credential) -> str | None:
        return credential.result.offering.code if credential.result else None


class CredentialDetailSerializer(CredentialOutputSerializer):
    document = serializers.JSONField(read_only=True)

    class Meta(CredentialOutputSerializer.Meta):
        fields = [*CredentialOutputSerializer.Meta.fields, "document"]


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class JobProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    remaining = serializers.IntegerField()


class JobItemSerializer(serializers.Serializer):
    credential = serializers.UUIDField(source="uuid")
    learner = serializers.CharField(source="learner.display_name")
    state = serializers.CharField()
    failure_reason = serializers.CharField()


class JobOutputSerializer(serializers.ModelSerializer):
    offering: serializers.SlugRelatedField[Offering] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    institution: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    progress = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = IssuanceJob
        fields = ["id", "description", "offering", "institution", "created_at", "progress", "items"]

    def get_progress(self, job: IssuanceJob) -> dict[str, int]:
        from issuance.services import job_progress

        return job_progress(job)

    def get_items(self, job: IssuanceJob) -> list[dict[str, Any]]:
        from issuance.selectors import job_credentials

        return list(JobItemSerializer(job_credentials(job), many=True).data)


class PlanSerializer(serializers.Serializer):
    to_issue = serializers.ListField(child=serializers.CharField())
    failed_to_retry = serializers.ListField(child=serializers.CharField())
    already_issued_or_in_progress = serializers.IntegerField()
