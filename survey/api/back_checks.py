"""The back-check API: a wave's back-checks with the share per interviewer, its settings, the
day's draw; one back-check's script, taking it and recording its outcome.

Roles (accounts.roles): anyone of the wave's agency, and MOPAC's analysts and admins, read
(another agency's wave or back-check is a 404; the interviewer of the interview checked gets
403 on it); supervisors, analysts and admins draw; analysts and admins set the share, seed
and questions; supervisors and interviewers of the agency check, never an interview they
took part in (403). Contact details only on need-to-know (the checker who took the check,
the agency's supervisors), never in a list.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts import roles
from accounts.permissions import HasRole
from survey.api.fieldwork import ERRORS, FieldworkApi, _wave
from survey.models import BackCheck, BackCheckDraw, BackCheckPlan
from survey.selectors import back_checks as selectors
from survey.services import back_checks as services

READERS = [HasRole.of(*roles.BACK_CHECK_READERS)]
CHECKERS = [HasRole.of(*roles.BACK_CHECKERS)]
DRAWERS = [HasRole.of(*roles.BACK_CHECK_DRAWERS)]
VIEWERS = [HasRole.of(*roles.FIELDWORK_VIEWERS)]
OUTCOMES = BackCheck.Outcome.values
FORBIDDEN = {403: OpenApiResponse(description="Not logged in, the role does not allow it, "
                                              "or you took part in the interview")}


def _back_check(request, pk: int, *, viewing: bool = False) -> BackCheck:
    """The back-check (404 for another agency's); 403 for its interviewer, and, to view it,
    for an interviewer while another checker holds it (acting on it, the service's 409)."""
    back_check = selectors.back_check_get(user=request.user, back_check_id=pk)
    if back_check is None:
        raise NotFound(f"back-check {pk} not found")
    own = selectors.is_participant(request.user, back_check)
    hidden = selectors.hidden_from(request.user, back_check) if viewing or own else ""
    if hidden:
        raise services.BackCheckNotAllowed(hidden, code="own_interview" if own
                                           else "back_check_taken")
    return back_check


class PlanOutput(serializers.ModelSerializer):
    class Meta:
        model = BackCheckPlan
        fields = ["share_percent", "seed", "key_questions"]


class ShareOutput(serializers.Serializer):
    interviewer_id = serializers.IntegerField()
    username = serializers.CharField()
    completes = serializers.IntegerField(help_text="Completed interviews so far")
    considered = serializers.IntegerField(help_text="Completes up to the last draw")
    selected = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True,
                                   help_text="selected / considered, as a percentage")
    done = serializers.IntegerField()
    confirmed = serializers.IntegerField(source="outcomes.confirmed")
    discrepancy = serializers.IntegerField(source="outcomes.discrepancy")
    could_not_verify = serializers.IntegerField(source="outcomes.could_not_verify")


class DrawOutput(serializers.ModelSerializer):
    class Meta:
        model = BackCheckDraw
        fields = ["id", "day", "cutoff", "share_percent", "seed", "selected", "drawn_at",
                  "drawn_by"]


class BackCheckOutput(serializers.ModelSerializer):
    interviewer = serializers.CharField(source="interviewer.username")
    checker = serializers.CharField(source="checker.username", allow_null=True,
                                    default=None)
    day = serializers.DateField(source="draw.day")
    reference = serializers.CharField(source="interview.case.sampled_business.business."
                                             "reference")

    class Meta:
        model = BackCheck
        fields = ["id", "wave", "interview", "day", "reference", "interviewer", "checker",
                  "taken_at", "outcome", "checked_at", "escalated"]


class WaveBackChecksOutput(serializers.Serializer):
    plan = PlanOutput()
    interviewers = ShareOutput(many=True)
    draws = DrawOutput(many=True)
    back_checks = BackCheckOutput(many=True)


class WaveBackChecksApi(FieldworkApi):
    """A wave's back-check settings, the share per interviewer (completes, selected, share,
    done, outcomes), its draws and its back-checks."""

    permission_classes = VIEWERS

    @extend_schema(responses={200: WaveBackChecksOutput, **ERRORS})
    def get(self, request, pk: int):
        wave = _wave(request, pk)
        return Response(WaveBackChecksOutput({
            "plan": selectors.plan_for(wave), "interviewers": selectors.share_rows(wave=wave),
            "draws": selectors.draws(wave=wave),
            "back_checks": selectors.wave_back_checks(wave=wave)}).data)


class DrawInput(serializers.Serializer):
    day = serializers.DateField(required=False, help_text="Default: today in the wave's zone")


class DrawResultOutput(serializers.Serializer):
    new = serializers.BooleanField(help_text="False: the day was drawn already; nothing new")
    draw = DrawOutput()
    selected = BackCheckOutput(many=True)


class WaveBackCheckDrawApi(FieldworkApi):
    """Draw the day's back-checks (once a day: drawing a day again draws nothing new)."""

    permission_classes = DRAWERS

    @extend_schema(request=DrawInput, responses={200: DrawResultOutput, **ERRORS})
    def post(self, request, pk: int):
        wave = _wave(request, pk)
        data = DrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        day = data.validated_data.get("day") or services.wave_today(wave, now)
        drawn = services.draw_back_checks(wave, day=day, now=now, user=request.user)
        return Response(DrawResultOutput(drawn).data)


class PlanInput(serializers.Serializer):
    share_percent = serializers.IntegerField(help_text="1 to 100")
    seed = serializers.IntegerField(help_text="0 or more")
    key_questions = serializers.ListField(
        child=serializers.CharField(max_length=255), max_length=50, required=False,
        default=list, help_text="Up to three closed questions' names; empty: the first "
                                "three closed questions each interview answered")


class WaveBackCheckPlanApi(FieldworkApi):
    """Set the wave's back-check share, seed and the questions re-asked (analysts)."""

    permission_classes = [HasRole.of(*roles.ANALYSTS)]

    @extend_schema(request=PlanInput, responses={200: PlanOutput, **ERRORS})
    def post(self, request, pk: int):
        wave = _wave(request, pk)
        data = PlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.back_check_plan_update(wave=wave, user=request.user,
                                               **data.validated_data)
        return Response(PlanOutput(plan).data)


class KeyQuestionOutput(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    choices = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    recorded = serializers.CharField(help_text="The answer the interview recorded")


class ScriptOutput(serializers.Serializer):
    interview_day = serializers.DateTimeField(help_text="When the interview was completed")
    recorded_minutes = serializers.IntegerField(allow_null=True,
                                                help_text="Its length from its own times")
    happened = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    roles = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    key_questions = KeyQuestionOutput(many=True)


class BackCheckDetailOutput(serializers.Serializer):
    back_check = BackCheckOutput()
    script = ScriptOutput()
    answers = serializers.DictField(help_text="The checker's recorded answers")
    note = serializers.CharField()
    agreement = serializers.DictField(help_text="Per question re-asked: the same answer?")
    contacts = serializers.DictField(
        allow_null=True, help_text="Name, address, postcode and phone: only for the agency's "
                                   "supervisors and the checker who took it, while open")
    may_check = serializers.BooleanField()


def _detail(request, back_check: BackCheck) -> dict:
    script = selectors.script_for(back_check)
    return {"back_check": back_check, "script": script, "answers": back_check.script,
            "note": back_check.note, "agreement": selectors.agreement(back_check, script),
            "contacts": selectors.contacts(request.user, back_check),
            "may_check": selectors.may_check(request.user, back_check)}


class BackCheckApi(FieldworkApi):
    """One back-check: its verification script, what the checker recorded, and the
    business's contact details when the need-to-know rule allows."""

    permission_classes = READERS

    @extend_schema(responses={200: BackCheckDetailOutput, **ERRORS, **FORBIDDEN})
    def get(self, request, pk: int):
        back_check = _back_check(request, pk, viewing=True)
        return Response(BackCheckDetailOutput(_detail(request, back_check)).data)


class BackCheckTakeApi(FieldworkApi):
    """Take the back-check (another checker who has taken it first: 409)."""

    permission_classes = CHECKERS

    @extend_schema(request=None, responses={200: BackCheckDetailOutput, **ERRORS, **FORBIDDEN})
    def post(self, request, pk: int):
        taken = services.back_check_take(back_check=_back_check(request, pk),
                                         user=request.user, now=timezone.now())
        return Response(BackCheckDetailOutput(_detail(request, taken)).data)


class ScriptInput(serializers.Serializer):
    happened = serializers.CharField(help_text="yes, no or unsure")
    respondent_role = serializers.CharField(
        help_text="owner, director, manager, employee, other or unknown")
    minutes = serializers.IntegerField(required=False, allow_null=True,
                                       help_text="About how long it took, 0 to 600")
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                    required=False, default=dict,
                                    help_text="Re-asked answers by question name")


class OutcomeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    note = serializers.CharField(allow_blank=True, required=False, default="",
                                 help_text="Required unless confirmed")
    script = ScriptInput()


class BackCheckOutcomeApi(FieldworkApi):
    """Record the checker's answers and the outcome; a discrepancy sends the interview back
    to review."""

    permission_classes = CHECKERS

    @extend_schema(request=OutcomeInput,
                   responses={200: BackCheckDetailOutput, **ERRORS, **FORBIDDEN})
    def post(self, request, pk: int):
        back_check = _back_check(request, pk)
        data = OutcomeInput(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.back_check_record(back_check=back_check, user=request.user,
                                          now=timezone.now(), **data.validated_data)
        return Response(BackCheckDetailOutput(_detail(request, done)).data)


class MyBackChecksApi(FieldworkApi):
    """The back-checks the user may take now (not of their own interviews)."""

    permission_classes = CHECKERS

    @extend_schema(responses={200: BackCheckOutput(many=True), **ERRORS})
    def get(self, request):
        return Response(BackCheckOutput(selectors.to_do(user=request.user), many=True).data)
