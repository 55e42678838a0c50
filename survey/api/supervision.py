"""The supervision API: a wave's progress, AAPOR rates and interviewer productivity; release
the next replicate, open or close the wave, reassign or close a case.

Roles: supervisors (their agency's waves), MOPAC's analysts and admins read; supervisors and
admins act on cases; all three release replicates and open and close waves. Another
agency's wave or case is a 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts import roles
from accounts.permissions import HasRole
from accounts.roles import Role
from survey.api.fieldwork import ERRORS, CaseOutput, FieldworkApi, WaveOutput, _case, _wave
from survey.selectors import supervision as selectors
from survey.services import supervision

VIEWERS = roles.FIELDWORK_VIEWERS
ACTORS = roles.SUPERVISORS
OPENERS = roles.WAVE_OPENERS  # open and close a wave
RELEASERS = roles.RELEASERS


def _roles(*roles: Role) -> list:
    return [HasRole.of(*roles)]


class RatesOutput(serializers.Serializer):
    RR1 = serializers.FloatField(allow_null=True)
    RR3 = serializers.FloatField(allow_null=True)
    COOP1 = serializers.FloatField(allow_null=True)
    REF1 = serializers.FloatField(allow_null=True)
    CON1 = serializers.FloatField(allow_null=True)
    e = serializers.FloatField(help_text="Estimated eligible share of unknown-eligibility cases")


class TallyOutput(serializers.Serializer):
    key = serializers.CharField(help_text="'all', a stratum or a borough's GSS code")
    label = serializers.CharField()
    issued = serializers.IntegerField(help_text="Cases released to the wave")
    attempted = serializers.IntegerField()
    contacted = serializers.IntegerField(help_text="I + P + R + O")
    completed = serializers.IntegerField(
        help_text="I (1.1); when the wave reviews completes, those approved at its last level "
                  "(one still in review counts as P)")
    partial = serializers.IntegerField(help_text="P (1.2)")
    refused = serializers.IntegerField(help_text="R (2.1x)")
    non_contact = serializers.IntegerField(help_text="NC (2.2x)")
    other = serializers.IntegerField(help_text="O (2.3x)")
    unknown = serializers.IntegerField(help_text="UH + UO (3.x)")
    ineligible = serializers.IntegerField(help_text="NE (4.x)")
    target = serializers.FloatField(allow_null=True)
    achieved = serializers.FloatField(allow_null=True, help_text="completed / target")
    rates = RatesOutput()


class DispositionOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField()
    cases = serializers.IntegerField()


class ProductivityOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    calls = serializers.IntegerField()
    active_hours = serializers.IntegerField(help_text="Clock hours with at least one call")
    calls_per_hour = serializers.FloatField(allow_null=True)
    completes = serializers.IntegerField(help_text="Calls ending in a complete interview")
    approved = serializers.IntegerField(
        help_text="Their completed interviews that count: approved at the wave's last review "
                  "level (all of them when the wave has no review)")
    refusals = serializers.IntegerField()
    refusal_rate = serializers.FloatField(allow_null=True,
                                          help_text="refusals / (completes + refusals)")
    interviews_timed = serializers.IntegerField()
    average_minutes = serializers.FloatField(
        allow_null=True, help_text="Mean of completed_at - started_at over timed interviews")
    untimed = serializers.IntegerField(
        help_text="Completes whose own timestamps give no length (never a negative one)")


class ReviewCountsOutput(serializers.Serializer):
    completed = serializers.IntegerField(help_text="Every completed interview")
    approved = serializers.IntegerField(help_text="Those that count as completes")
    awaiting_agency = serializers.IntegerField()
    awaiting_mopac = serializers.IntegerField()
    rejected = serializers.IntegerField(help_text="Sent back to an interviewer to amend")


class ReportOutput(serializers.Serializer):
    wave = WaveOutput()
    overall = TallyOutput()
    by_stratum = TallyOutput(many=True)
    by_borough = TallyOutput(many=True)
    by_sector = TallyOutput(many=True)
    dispositions = DispositionOutput(many=True)
    interviewers = ProductivityOutput(many=True)
    replicates_drawn = serializers.ListField(child=serializers.IntegerField())
    replicates_released = serializers.ListField(child=serializers.IntegerField())
    review = ReviewCountsOutput(help_text="Completed interviews and those approved (issue 17)")


class ReleaseOutput(serializers.Serializer):
    wave = WaveOutput()
    replicate = serializers.IntegerField()
    cases_added = serializers.IntegerField()
    strata_missing = serializers.ListField(child=serializers.CharField())


class ReassignOutput(serializers.Serializer):
    case = CaseOutput()
    reserved_for = serializers.IntegerField(source="case.reserved_for_id", allow_null=True)
    claim_cleared = serializers.BooleanField()


class WaveSupervisionApi(FieldworkApi):
    """A wave's progress by stratum and borough against targets, AAPOR rates, dispositions
    and interviewer productivity."""

    permission_classes = _roles(*VIEWERS)

    @extend_schema(responses={200: ReportOutput, **ERRORS})
    def get(self, request, pk: int):
        return Response(ReportOutput(selectors.wave_report(wave=_wave(request, pk))).data)


class ReleaseReplicateApi(FieldworkApi):
    """Release the next replicate of the wave's sample; its cases join the wave."""

    permission_classes = _roles(*RELEASERS)

    @extend_schema(request=None, responses={200: ReleaseOutput, **ERRORS})
    def post(self, request, pk: int):
        released = supervision.wave_replicate_release_next(wave=_wave(request, pk),
                                                           user=request.user)
        return Response(ReleaseOutput(released).data)


class WaveOpenApi(FieldworkApi):
    """Put the wave in the field (the first time, its replicates_at_start are released)."""

    permission_classes = _roles(*OPENERS)

    @extend_schema(request=None, responses={200: WaveOutput, **ERRORS})
    def post(self, request, pk: int):
        wave = supervision.wave_open(wave=_wave(request, pk), user=request.user)
        return Response(WaveOutput(wave).data)


class WaveCloseApi(FieldworkApi):
    """Close the wave: every open case gets its final disposition."""

    permission_classes = _roles(*OPENERS)

    @extend_schema(request=None, responses={200: WaveOutput, **ERRORS})
    def post(self, request, pk: int):
        wave = supervision.wave_finish(wave=_wave(request, pk), user=request.user)
        return Response(WaveOutput(wave).data)


class CaseReassignApi(FieldworkApi):
    """Reserve a case for an interviewer of the wave's agency (null: for anyone again)."""

    permission_classes = _roles(*ACTORS)

    class ReassignInput(serializers.Serializer):
        interviewer = serializers.IntegerField(allow_null=True,
                                               help_text="User id of the interviewer, or null")

    @extend_schema(request=ReassignInput, responses={200: ReassignOutput, **ERRORS})
    def post(self, request, pk: int):
        case = _case(request, pk)  # another agency's case is a 404 whatever the body
        serializer = self.ReassignInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        interviewer_id = serializer.validated_data["interviewer"]
        interviewer = None
        if interviewer_id is not None:
            interviewer = selectors.agency_interviewers(wave=case.wave).filter(
                pk=interviewer_id).first()
            if interviewer is None:
                raise serializers.ValidationError({"interviewer": [
                    f"{interviewer_id} is not an active interviewer of {case.wave.agency}"]})
        reassigned = supervision.case_reassign(case=case, interviewer=interviewer,
                                               user=request.user)
        return Response(ReassignOutput(reassigned).data)


class CaseCloseApi(FieldworkApi):
    """Close a case: final disposition from its attempts; status final."""

    permission_classes = _roles(*ACTORS)

    @extend_schema(request=None, responses={200: CaseOutput, **ERRORS})
    def post(self, request, pk: int):
        case = supervision.case_close(case=_case(request, pk), user=request.user)
        return Response(CaseOutput(case).data)

