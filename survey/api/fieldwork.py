"""The CATI API: waves, next case, call outcomes, appointments, interviews and answers.

Views are thin: parse with an input serializer, check role (HasRole) and agency (the
selectors scope by agency, so another agency's case is a 404), call one service, answer
with an output serializer. Fieldwork errors carry their own HTTP status (400 or 409).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts.permissions import HasRole
from accounts.roles import Role
from survey.aapor import OUTCOMES
from survey.models import Case, Interview, Wave
from survey.selectors import fieldwork as selectors
from survey.services import calls, interviews, queue

INTERVIEWER = [HasRole.of(*roles.INTERVIEWERS)]
ANY_ROLE = [HasRole.of(*Role)]
CALL_OUTCOMES = [key for key in OUTCOMES if key not in ("complete", "appointment")]
ERRORS = {400: OpenApiResponse(description="Invalid request; `errors` names the field"),
          403: OpenApiResponse(description="Not logged in, or the role does not allow it"),
          404: OpenApiResponse(description="No such object in your agency"),
          409: OpenApiResponse(description="Clashes with the current state (case held by "
                                           "someone else, final, event id reused)")}


class FieldworkApi(APIView):
    """Base view of the fieldwork API (errors answer through bas.api's one handler)."""


def _case(request, pk: int) -> Case:
    case = selectors.case_get(user=request.user, case_id=pk)
    if case is None:
        raise NotFound(f"case {pk} not found")
    return case


def _interview(request, pk: int) -> Interview:
    interview = selectors.interview_get(user=request.user, interview_id=pk)
    if interview is None:
        raise NotFound(f"interview {pk} not found")
    return interview


def _wave(request, pk: int) -> Wave:
    wave = selectors.wave_get(user=request.user, wave_id=pk)
    if wave is None:
        raise NotFound(f"wave {pk} not found")
    return wave


# --- output serializers ---------------------------------------------------------------

class WaveOutput(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = Wave
        fields = ["id", "name", "status", "agency", "questionnaire_version", "sample",
                  "target_interviews", "stratum_targets", "borough_targets", "business_hours",
                  "timezone", "max_attempts", "retry_gaps", "starts_on", "ends_on",
                  "replicates_at_start", "review_levels"]


class CaseOutput(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "wave", "status", "stratum", "attempt_count", "last_code", "final_code",
                  "next_call_at", "assigned_to", "assigned_at"]


class NextCaseOutput(serializers.Serializer):
    case = CaseOutput(allow_null=True)
    reason = serializers.ChoiceField(choices=["held", "appointment", "callback", "fresh",
                                              "outside_business_hours", "fieldwork_ended",
                                              "none_available"])
    next_open_at = serializers.DateTimeField(allow_null=True)


class AttemptOutput(serializers.Serializer):
    event_id = serializers.UUIDField()
    outcome = serializers.CharField()
    code = serializers.CharField()
    notes = serializers.CharField()
    called_at = serializers.DateTimeField()
    interviewer = serializers.CharField(source="interviewer.username")


class AppointmentOutput(serializers.Serializer):
    due_at = serializers.DateTimeField()
    ask_for = serializers.CharField()


class CallOutput(serializers.Serializer):
    attempt = AttemptOutput()
    case = CaseOutput()
    created = serializers.BooleanField()


class InterviewRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class CaseDetailOutput(serializers.Serializer):
    case = CaseOutput()
    business = serializers.DictField(
        help_text="Reference, borough, sector, size band; name, address, postcode and phone "
                  "(and appointments' contact person) on a need-to-know basis only: the "
                  "wave agency's supervisors, and the interviewer who holds the case or has "
                  "an appointment on it, until the details are purged.")
    attempts = AttemptOutput(many=True)
    appointments = AppointmentOutput(many=True)
    interview = InterviewRefOutput(allow_null=True)


class OptionOutput(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()


class PromptOutput(serializers.Serializer):
    path = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    label = serializers.CharField()
    hint = serializers.CharField()
    interviewer_instruction = serializers.CharField()
    choices = OptionOutput(many=True)
    required = serializers.BooleanField()
    dont_know = serializers.IntegerField(allow_null=True)
    refused = serializers.IntegerField(allow_null=True)
    answer = serializers.JSONField(allow_null=True)
    default = serializers.CharField(
        allow_blank=True, help_text="The form's default: a proposal to pre-fill (choice names "
                                    "space-separated), never stored until answered")
    notes = serializers.ListField(child=serializers.CharField())


class InterviewStateOutput(serializers.Serializer):
    id = serializers.IntegerField(source="interview.pk")
    case = serializers.IntegerField(source="interview.case_id")
    status = serializers.CharField(source="interview.status")
    prompt = PromptOutput(allow_null=True)
    path = serializers.ListField(child=serializers.CharField())
    answered = serializers.IntegerField()
    remaining = serializers.IntegerField()
    progress = serializers.FloatField()
    position = serializers.IntegerField(help_text="Number of the question on screen along "
                                                  "the route")
    expected = serializers.IntegerField(help_text="Questions on the route as the answers so "
                                                  "far make it (an estimate: routing may "
                                                  "change it)")
    progress_text = serializers.CharField(help_text="'Question 12 of about 40'")
    version = serializers.CharField(help_text="The route this state shows; send it back as "
                                              "`seen` with an answer")
    can_complete = serializers.BooleanField()
    closing_notes = serializers.ListField(child=serializers.CharField())
    language = serializers.CharField(allow_blank=True,
                                     help_text="The language the question is shown in")
    languages = serializers.ListField(
        child=serializers.CharField(),
        help_text="The form's languages as its workbook names them ('English (en)'); "
                  "POST one to `language/` to switch")
    started_at = serializers.DateTimeField(source="interview.started_at")
    completed_at = serializers.DateTimeField(source="interview.completed_at")


class AnswerEventOutput(serializers.Serializer):
    event_id = serializers.UUIDField()
    path = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    previous = serializers.JSONField(allow_null=True)
    recorded_at = serializers.DateTimeField()


class AnswerOutput(serializers.Serializer):
    event = AnswerEventOutput()
    created = serializers.BooleanField()
    state = InterviewStateOutput()


def _state_data(state: interviews.InterviewState) -> dict:
    return InterviewStateOutput(state).data


# --- views ----------------------------------------------------------------------------

class WaveListApi(FieldworkApi):
    """The waves the caller's agency runs (every wave for MOPAC's analysts and admins)."""

    permission_classes = ANY_ROLE

    @extend_schema(responses={200: WaveOutput(many=True), **ERRORS})
    def get(self, request):
        return Response(WaveOutput(selectors.wave_list(user=request.user), many=True).data)


class NextCaseApi(FieldworkApi):
    """Claim the case to call now: held case, due appointment, due call-back, fresh case."""

    permission_classes = INTERVIEWER

    @extend_schema(request=None, responses={200: NextCaseOutput, **ERRORS})
    def post(self, request, pk: int):
        found = queue.case_next(wave=_wave(request, pk), user=request.user)
        return Response(NextCaseOutput(found).data)


class CaseDetailApi(FieldworkApi):
    """A case: the business, its call history and appointments, and its interview."""

    permission_classes = ANY_ROLE

    @extend_schema(responses={200: CaseDetailOutput, **ERRORS})
    def get(self, request, pk: int):
        detail = selectors.case_detail(user=request.user, case=_case(request, pk))
        return Response(CaseDetailOutput(detail).data)


class CallApi(FieldworkApi):
    """Record the outcome of a dial (idempotent by event_id)."""

    permission_classes = INTERVIEWER

    class CallInput(serializers.Serializer):
        event_id = serializers.UUIDField(help_text="A new UUID per dial; resend it on retry.")
        outcome = serializers.ChoiceField(choices=CALL_OUTCOMES)
        notes = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=CallInput, responses={201: CallOutput, 200: CallOutput, **ERRORS})
    def post(self, request, pk: int):
        case = _case(request, pk)  # another agency's case is a 404 whatever the body
        data = _valid(self.CallInput, request)
        recorded = calls.call_attempt_record(case=case, user=request.user, **data)
        return _call_response(recorded)


class AppointmentApi(FieldworkApi):
    """Make an appointment: records the 'appointment' outcome (idempotent by event_id)."""

    permission_classes = INTERVIEWER

    class AppointmentInput(serializers.Serializer):
        event_id = serializers.UUIDField()
        due_at = serializers.DateTimeField(help_text="In the future, in calling hours.")
        ask_for = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=200)
        notes = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=AppointmentInput, responses={201: CallOutput, 200: CallOutput, **ERRORS})
    def post(self, request, pk: int):
        case = _case(request, pk)
        data = _valid(self.AppointmentInput, request)
        recorded = calls.appointment_make(case=case, user=request.user, **data)
        return _call_response(recorded)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _call_response(recorded: calls.CallRecorded) -> Response:
    data = CallOutput({"attempt": recorded.attempt, "case": recorded.case,
                       "created": recorded.created}).data
    return Response(data, status=status.HTTP_201_CREATED if recorded.created else 200)


class InterviewStartApi(FieldworkApi):
    """Start the case's interview, or resume it at the question where it stopped."""

    permission_classes = INTERVIEWER

    @extend_schema(request=None,
                   responses={201: InterviewStateOutput, 200: InterviewStateOutput, **ERRORS})
    def post(self, request, pk: int):
        state, created = interviews.interview_start_or_resume(case=_case(request, pk),
                                                              user=request.user)
        return Response(_state_data(state), status=201 if created else 200)


class InterviewApi(FieldworkApi):
    """The interview's current question, route so far and progress."""

    permission_classes = ANY_ROLE

    @extend_schema(responses={200: InterviewStateOutput, **ERRORS})
    def get(self, request, pk: int):
        state = interviews.interview_state(interview=_interview(request, pk))
        return Response(_state_data(state))


class AnswerApi(FieldworkApi):
    """Save one answer event: a value, don't know or refused (idempotent by event_id)."""

    permission_classes = INTERVIEWER

    class AnswerInput(serializers.Serializer):
        event_id = serializers.UUIDField(help_text="A new UUID per answer; resend on retry.")
        path = serializers.CharField(max_length=255)
        kind = serializers.ChoiceField(choices=list(interviews.ANSWER_KINDS),
                                       default=interviews.Kind.ANSWER)
        value = serializers.JSONField(required=False, allow_null=True, default=None)
        seen = serializers.CharField(
            required=False, allow_null=True, default=None, max_length=64,
            help_text="The state's `version` the answer was given against: if the interview "
                      "moved on since (another tab), 409 `stale_route` asks to reload.")

    @extend_schema(request=AnswerInput, responses={201: AnswerOutput, 200: AnswerOutput, **ERRORS})
    def post(self, request, pk: int):
        interview = _interview(request, pk)
        data = _valid(self.AnswerInput, request)
        saved = interviews.answer_submit(interview=interview, user=request.user, **data)
        body = {"event": AnswerEventOutput(saved.event).data, "created": saved.created,
                "state": _state_data(saved.state)}
        return Response(body, status=201 if saved.created else 200)


class BackApi(FieldworkApi):
    """Go back one question (its answer is kept until it is changed)."""

    permission_classes = INTERVIEWER

    @extend_schema(request=None, responses={200: InterviewStateOutput, **ERRORS})
    def post(self, request, pk: int):
        state = interviews.interview_back(interview=_interview(request, pk), user=request.user)
        return Response(_state_data(state))


class LanguageApi(FieldworkApi):
    """Read the questions in another of the form's languages (answers kept; audited)."""

    permission_classes = INTERVIEWER

    class LanguageInput(serializers.Serializer):
        language = serializers.CharField(
            max_length=100, allow_blank=True,
            help_text="One of the state's `languages`; blank is the form's default")

    @extend_schema(request=LanguageInput, responses={200: InterviewStateOutput, **ERRORS})
    def post(self, request, pk: int):
        interview = _interview(request, pk)
        data = _valid(self.LanguageInput, request)
        state = interviews.interview_language_set(interview=interview, user=request.user,
                                                  **data)
        return Response(_state_data(state))


class CompleteApi(FieldworkApi):
    """Complete a fully answered interview: records outcome 1.1; the case is final."""

    permission_classes = INTERVIEWER

    class CompleteInput(serializers.Serializer):
        event_id = serializers.UUIDField(required=False)

    @extend_schema(request=CompleteInput, responses={200: InterviewStateOutput, **ERRORS})
    def post(self, request, pk: int):
        interview = _interview(request, pk)
        data = _valid(self.CompleteInput, request)
        state = interviews.interview_complete(interview=interview, user=request.user, **data)
        return Response(_state_data(state))


class BreakOffApi(FieldworkApi):
    """The respondent stopped for good: records outcome 2.12; the case is final."""

    permission_classes = INTERVIEWER

    class BreakOffInput(serializers.Serializer):
        event_id = serializers.UUIDField()
        notes = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=BreakOffInput, responses={200: InterviewStateOutput, **ERRORS})
    def post(self, request, pk: int):
        interview = _interview(request, pk)
        data = _valid(self.BreakOffInput, request)
        state = interviews.interview_break_off(interview=interview, user=request.user, **data)
        return Response(_state_data(state))
