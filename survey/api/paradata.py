"""The interview-quality API: a wave's paradata export (a zip of paradata.csv, events.csv
and README.txt)
and its interviewer quality indicators against the team.

The wave's viewers: its agency's supervisors, MOPAC's analysts and admins; another agency's
wave is a 404, interviewers get 403.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts import roles
from accounts.permissions import HasRole
from survey.api.fieldwork import ERRORS, FieldworkApi, _wave
from survey.selectors.paradata import PARADATA_VERSION, paradata_zip
from survey.selectors.quality import wave_quality

VIEWERS = roles.FIELDWORK_VIEWERS


class IndicatorOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    direction = serializers.ChoiceField(choices=["low", "high"],
                                        help_text="The side that signals a problem")
    explanation = serializers.CharField()


class InterviewerQualityOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    completes = serializers.IntegerField()
    values = serializers.DictField(child=serializers.FloatField(allow_null=True),
                                   help_text="Each indicator's value, by key")
    z = serializers.DictField(child=serializers.FloatField(allow_null=True),
                              help_text="Each indicator's robust z-score against the team")
    flags = serializers.ListField(child=serializers.CharField(),
                                  help_text="The indicators flagged (|z| >= threshold)")


class FilterOutput(serializers.Serializer):
    name = serializers.CharField()
    opens = serializers.IntegerField()
    no_choices = serializers.ListField(child=serializers.CharField())


class QualityOutput(serializers.Serializer):
    wave = serializers.IntegerField(source="wave.pk")
    threshold = serializers.FloatField(help_text="|z| at or above which a value is flagged")
    min_team = serializers.IntegerField(help_text="Interviewers needed for z-scores")
    min_completes = serializers.IntegerField(
        help_text="Completes an interviewer needs for their interview figures to be scored")
    indicators = IndicatorOutput(many=True)
    team_medians = serializers.DictField(child=serializers.FloatField(allow_null=True))
    interviewers = InterviewerQualityOutput(many=True)
    grids = serializers.ListField(child=serializers.ListField(child=serializers.CharField()),
                                  source="structure.grids")
    filters = FilterOutput(many=True, source="structure.filters")


class WaveQualityApi(FieldworkApi):
    """Each interviewer's quality indicators, robust z-scores against the team and flags."""

    permission_classes = [HasRole.of(*VIEWERS)]

    @extend_schema(responses={200: QualityOutput, **ERRORS})
    def get(self, request, pk: int):
        return Response(QualityOutput(wave_quality(wave=_wave(request, pk))).data)


class WaveParadataApi(FieldworkApi):
    """The wave's paradata: a zip of paradata.csv (one row per interview and question),
    events.csv (every event of every interview in order) and README.txt (its version,
    columns and rules)."""

    permission_classes = [HasRole.of(*VIEWERS)]

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
                              **ERRORS})
    def get(self, request, pk: int):
        wave = _wave(request, pk)
        response = HttpResponse(paradata_zip(wave=wave), content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(
            True, f"wave-{wave.pk}-paradata-{PARADATA_VERSION}.zip")
        return response
