from rest_framework import serializers

from questionnaires.models import Questionnaire, QuestionnaireFile, QuestionnaireVersion


class FileOutput(serializers.ModelSerializer):
    class Meta:
        model = QuestionnaireFile
        fields = ["filename", "size", "sha256"]


class VersionOutput(serializers.ModelSerializer):
    questionnaire = serializers.CharField(source="questionnaire.form_id")
    created_by = serializers.CharField(source="created_by.username", default=None)
    locked = serializers.BooleanField(source="is_locked")
    files = FileOutput(many=True, read_only=True,
                       help_text="CSV files uploaded with the workbook")

    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "questionnaire", "number", "form_version", "filename", "sha256",
                  "summary", "notes", "created_by", "created_at", "locked", "files"]


class QuestionnaireOutput(serializers.ModelSerializer):
    versions = VersionOutput(many=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "form_id", "title", "versions"]


class UploadInput(serializers.Serializer):
    workbook = serializers.FileField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list,
        help_text="CSV files the workbook reads (select_one_from_file, pulldata): repeat the "
                  "`files` part once per file")
