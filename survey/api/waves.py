"""The wave set-up API: create a wave (POST /api/waves/), read and change its settings while
it is in set-up (GET/PATCH /api/waves/{id}/), extend its end date.

MOPAC's analysts and admins set waves up; everyone may read the waves of their agency (every
wave for MOPAC). Opening and closing are in survey.api.supervision. A setting that cannot be
used answers 400 with every problem at once: `errors[0].problems` lists each with its field
and a message in plain words.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts import roles
from accounts.permissions import HasRole
from accounts.roles import Role
from survey.api.fieldwork import ERRORS, FieldworkApi, WaveListApi, WaveOutput, _wave
from survey.models import Wave
from survey.selectors import wave_setup
from survey.services import waves

SETTERS = [HasRole.of(*roles.ANALYSTS)]
ANY_ROLE = [HasRole.of(*Role)]


class CallingHoursInput(serializers.Serializer):
    days = serializers.ListField(child=serializers.IntegerField(), default=[0, 1, 2, 3, 4],
                                 help_text="Weekdays called: 0 Monday ... 6 Sunday")
    start = serializers.CharField(default="09:00", help_text="HH:MM, local time")
    end = serializers.CharField(default="17:30", help_text="HH:MM, local time")


class WaveInput(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, max_length=400)
    questionnaire_version = serializers.IntegerField(help_text="QuestionnaireVersion id")
    sample = serializers.IntegerField(help_text="Sample id")
    agency = serializers.IntegerField(help_text="Id of the fieldwork agency")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    business_hours = CallingHoursInput(required=False)
    timezone = serializers.CharField(default="Europe/London", max_length=64)
    max_attempts = serializers.IntegerField(default=10)
    retry_gaps = serializers.DictField(
        child=serializers.IntegerField(), required=False,
        help_text="Minutes to wait before calling again, by call outcome (e.g. no_answer)")
    target_interviews = serializers.IntegerField(
        required=False, allow_null=True,
        help_text="Interviews wanted overall; omitted: the sample's size as allocated")
    stratum_targets = serializers.DictField(
        child=serializers.IntegerField(), required=False,
        help_text="Interviews wanted per stratum; omitted with borough_targets too: the "
                  "overall target shared as the sample's allocation")
    borough_targets = serializers.DictField(child=serializers.IntegerField(), required=False,
                                            help_text="Interviews wanted per borough (GSS code)")
    targets_by = serializers.ChoiceField(
        choices=["stratum", "borough"], default="stratum",
        help_text="With no targets given: share the overall target by stratum or by borough "
                  "as the sample's allocation does")
    replicates_at_start = serializers.IntegerField(
        default=0, help_text="Replicates released when the wave opens (0: those released)")
    review_levels = serializers.ChoiceField(
        choices=Wave.Review.choices, default=Wave.Review.AGENCY,
        help_text="Who approves a completed interview before it counts as a complete: the "
                  "agency's supervisor (the default), the supervisor then a MOPAC analyst, or "
                  "none (completes count at once)")


class WaveChangeInput(WaveInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


def _settings(data: dict, *, creating: bool) -> dict:
    values = dict(data)
    objects = wave_setup.setup_objects(values)
    for key in ("questionnaire_version", "sample", "agency"):
        if key in values:
            values[key] = objects[key]
    if "business_hours" in values:
        values["business_hours"] = dict(values["business_hours"])
    if creating and not values.get("stratum_targets") and not values.get("borough_targets"):
        values["targets_from_allocation"] = True
    return values


class WavesApi(WaveListApi):
    """The waves the caller's agency runs; MOPAC's analysts and admins create them (POST)."""

    def get_permissions(self):
        return [p() for p in (SETTERS if self.request.method == "POST" else ANY_ROLE)]

    @extend_schema(request=WaveInput, responses={201: WaveOutput, **ERRORS})
    def post(self, request):
        serializer = WaveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        wave = waves.wave_create(**_settings(serializer.validated_data, creating=True),
                                 user=request.user)
        return Response(WaveOutput(wave).data, status=201)


class WaveApi(FieldworkApi):
    """A wave's settings; MOPAC changes them while the wave is in set-up (PATCH)."""

    def get_permissions(self):
        return [p() for p in (SETTERS if self.request.method == "PATCH" else ANY_ROLE)]

    @extend_schema(responses={200: WaveOutput, **ERRORS})
    def get(self, request, pk: int):
        return Response(WaveOutput(_wave(request, pk)).data)

    @extend_schema(request=WaveChangeInput, responses={200: WaveOutput, **ERRORS})
    def patch(self, request, pk: int):
        wave = _wave(request, pk)
        serializer = WaveChangeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        wave = waves.wave_update(wave=wave, user=request.user,
                                 **_settings(serializer.validated_data, creating=False))
        return Response(WaveOutput(wave).data)


class WaveExtendApi(FieldworkApi):
    """Move the wave's fieldwork end date later (in set-up or in the field)."""

    permission_classes = SETTERS

    class ExtendInput(serializers.Serializer):
        ends_on = serializers.DateField(help_text="The new last day of fieldwork")

    @extend_schema(request=ExtendInput, responses={200: WaveOutput, **ERRORS})
    def post(self, request, pk: int):
        wave = _wave(request, pk)
        serializer = self.ExtendInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        wave = waves.wave_extend(wave=wave, user=request.user, **serializer.validated_data)
        return Response(WaveOutput(wave).data)
