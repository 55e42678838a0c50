from rest_framework import serializers

from questionnaires.models import Questionnaire, QuestionnaireVersion


class VersionOutput(serializers.ModelSerializer):
    questionnaire = serializers.CharField(source="questionnaire.form_id")
    created_by = serializers.CharField(source="created_by.username", default=None)
    locked = serializers.BooleanField(source="is_locked")

    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "questionnaire", "number", "form_version", "filename", "sha256",
                  "summary", "notes", "created_by", "created_at", "locked"]


class QuestionnaireOutput(serializers.ModelSerializer):
    versions = VersionOutput(many=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "form_id", "title", "versions"]


class UploadInput(serializers.Serializer):
    workbook = serializers.FileField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
