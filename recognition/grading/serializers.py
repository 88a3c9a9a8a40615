"""Serializers of the grading API and of the grade a decision carries."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from recognition.grading.models import DecisionGrade, GradingTable


class SchemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()
    classes = serializers.ListField(child=serializers.CharField())
    source = serializers.CharField()  # type: ignore[assignment]


class GradingTableSerializer(serializers.ModelSerializer):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    distribution = serializers.DictField(child=serializers.IntegerField())

    class Meta:
        model = GradingTable
        fields = [
            "institution",
            "isced_f_code",
            "scheme",
            "distribution",
            "cohort",
            "source",
            "period_start",
            "period_end",
            "updated_at",
        ]


class GradingTableInputSerializer(serializers.Serializer):
    isced_f_code = serializers.CharField(max_length=4)
    scheme = serializers.CharField(max_length=20)
    distribution = serializers.DictField(child=serializers.IntegerField(min_value=0))
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)


class DecisionGradeSerializer(serializers.ModelSerializer):
    converted_by = serializers.EmailField(source="converted_by.email")

    class Meta:
        model = DecisionGrade
        fields = [
            "source_grade",
            "source_scheme",
            "target_scheme",
            "converted_grade",
            "method",
            "explanation",
            "converted_by",
            "converted_at",
        ]


class ConversionInputSerializer(serializers.Serializer):
    target_scheme = serializers.CharField(max_length=20, required=False, allow_blank=True)
    source_scheme = serializers.CharField(max_length=20, required=False, allow_blank=True)
    isced_f_code = serializers.CharField(max_length=4, required=False, allow_blank=True)
    converted_grade = serializers.CharField(max_length=40, required=False, allow_blank=True)
