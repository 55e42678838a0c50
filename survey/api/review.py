"""The review API: the review queue of a wave, an interview's answers with the reviewers'
comments and its history, approve and reject (supervisors of the wave's agency, then MOPAC's
analysts), and for the interviewer it went back to: the "sent back" list, amend, resubmit.

Thin views: the selectors scope by agency (another agency's wave or interview is a 404);
the services check the level, role and state (a wrong level or role: 403; the interview
already moved on: 409).
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts import roles
from accounts.models import User
from accounts.permissions import HasRole
from survey.api.fieldwork import ERRORS, FieldworkApi, _wave
from survey.models import Interview
from survey.selectors import review as selectors
from survey.selectors.review_answers import answer_rows
from survey.services import interviews
from survey.services.review import (
    MAX_COMMENT,
    escalate_to_review,
    review_approve,
    review_reject,
)
from survey.services.review_amend import review_amend, review_resubmit

REVIEWERS = [HasRole.of(*roles.REVIEWERS)]
INTERVIEWER = [HasRole.of(*roles.INTERVIEWERS)]


def _reviewed(request, pk: int) -> Interview:
    interview = selectors.interview_for_review(user=request.user, interview_id=pk)
    if interview is None:
        raise NotFound(f"interview {pk} not found")
    return interview


def _sent_back(request, pk: int) -> Interview:
    interview = selectors.sent_back(user=request.user).filter(pk=pk).first()
    if interview is None:
        raise NotFound(f"interview {pk} is not sent back to you")
    return interview


class QueueRowOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.IntegerField(source="case_id")
    interviewer = serializers.CharField(source="interviewer.username")
    completed_at = serializers.DateTimeField()
    review_status = serializers.CharField()
    returned_to = serializers.CharField(source="returned_to.username", allow_null=True,
                                        default=None)


class CommentOutput(serializers.Serializer):
    path = serializers.CharField()
    text = serializers.CharField()


class ReviewEventOutput(serializers.Serializer):
    action = serializers.CharField()
    level = serializers.CharField()
    status_after = serializers.CharField()
    by = serializers.CharField(source="by.username")
    comment = serializers.CharField()
    returned_to = serializers.CharField(source="returned_to.username", allow_null=True,
                                        default=None)
    recorded_at = serializers.DateTimeField()
    comments = CommentOutput(many=True)


class AnswerRowOutput(serializers.Serializer):
    path = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    answer = serializers.JSONField(allow_null=True)
    shown = serializers.CharField(help_text="The answer as read: choice labels, don't know")
    comment = serializers.CharField(help_text="The last rejection's comment on it, if any")


class ReviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField()
    wave = serializers.IntegerField()
    interviewer = serializers.CharField()
    review_status = serializers.CharField()
    returned_to = serializers.CharField(allow_null=True)
    answers = AnswerRowOutput(many=True, help_text="Commented questions first")
    history = ReviewEventOutput(many=True)


def _review_data(interview: Interview) -> dict:
    comments = selectors.open_comments(interview=interview)
    return ReviewOutput({
        "id": interview.pk, "case": interview.case_id, "wave": interview.case.wave_id,
        "interviewer": interview.interviewer.username,
        "review_status": interview.review_status,
        "returned_to": interview.returned_to.username if interview.returned_to else None,
        "answers": answer_rows(interview=interview, comments=comments),
        "history": selectors.history(interview=interview)}).data


class ReviewQueueApi(FieldworkApi):
    """The wave's interviews awaiting your review level (or `status`), oldest first."""

    permission_classes = REVIEWERS

    @extend_schema(parameters=[OpenApiParameter(
        "status", str, enum=selectors.Status.values[1:],
        description="Interviews in this review status instead of those awaiting your level")],
        responses={200: QueueRowOutput(many=True), **ERRORS})
    def get(self, request, pk: int):
        status = request.query_params.get("status") or None
        if status is not None and status not in selectors.Status.values:
            raise serializers.ValidationError({"status": [
                f"'{status[:40]}' is not one of {', '.join(selectors.Status.values[1:])}"]})
        queue = selectors.review_queue(user=request.user, wave=_wave(request, pk),
                                       status=status)
        return Response(QueueRowOutput(queue, many=True).data)


class InterviewReviewApi(FieldworkApi):
    """A completed interview's answers (commented questions first) and review history."""

    permission_classes = REVIEWERS

    @extend_schema(responses={200: ReviewOutput, **ERRORS})
    def get(self, request, pk: int):
        return Response(_review_data(_reviewed(request, pk)))


class ApproveApi(FieldworkApi):
    """Approve at the level the interview awaits (supervisor of its agency, then MOPAC)."""

    permission_classes = REVIEWERS

    class ApproveInput(serializers.Serializer):
        comment = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=MAX_COMMENT)

    @extend_schema(request=ApproveInput, responses={200: ReviewOutput, **ERRORS})
    def post(self, request, pk: int):
        interview = _reviewed(request, pk)
        serializer = self.ApproveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        review_approve(interview=interview, by=request.user, **serializer.validated_data)
        return Response(_review_data(_reviewed(request, pk)))


class RejectApi(FieldworkApi):
    """Reject back to the interviewer (or `return_to`, an active interviewer of the agency)
    with a comment (required) and comments on questions by path."""

    permission_classes = REVIEWERS

    class RejectInput(serializers.Serializer):
        comment = serializers.CharField(max_length=MAX_COMMENT)
        questions = serializers.DictField(
            child=serializers.CharField(max_length=MAX_COMMENT, allow_blank=True),
            required=False, default=dict, help_text="Comments by question path")
        return_to = serializers.IntegerField(required=False, allow_null=True, default=None,
                                             help_text="User id of the interviewer")

    @extend_schema(request=RejectInput, responses={200: ReviewOutput, **ERRORS})
    def post(self, request, pk: int):
        interview = _reviewed(request, pk)
        serializer = self.RejectInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review_reject(interview=interview, by=request.user, comment=data["comment"],
                      question_comments=data["questions"],
                      return_to=_returnee(data["return_to"]))
        return Response(_review_data(_reviewed(request, pk)))


class EscalateApi(FieldworkApi):
    """Send a completed interview (even an approved one) back to the first review level,
    awaiting the agency's supervisor, with the reason; it stops counting until approved."""

    permission_classes = REVIEWERS

    class EscalateInput(serializers.Serializer):
        reason = serializers.CharField(max_length=MAX_COMMENT)

    @extend_schema(request=EscalateInput, responses={200: ReviewOutput, **ERRORS})
    def post(self, request, pk: int):
        interview = _reviewed(request, pk)
        serializer = self.EscalateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        escalate_to_review(interview, by=request.user, now=timezone.now(),
                           **serializer.validated_data)
        return Response(_review_data(_reviewed(request, pk)))


def _returnee(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise serializers.ValidationError({"return_to": [f"no user {user_id}"]})
    return user


class SentBackApi(FieldworkApi):
    """The interviews sent back to you to amend."""

    permission_classes = INTERVIEWER

    @extend_schema(responses={200: QueueRowOutput(many=True), **ERRORS})
    def get(self, request):
        return Response(QueueRowOutput(selectors.sent_back(user=request.user), many=True).data)


class SentBackDetailApi(FieldworkApi):
    """A sent-back interview's answers (commented questions first) and history."""

    permission_classes = INTERVIEWER

    @extend_schema(responses={200: ReviewOutput, **ERRORS})
    def get(self, request, pk: int):
        return Response(_review_data(_sent_back(request, pk)))


class AmendApi(FieldworkApi):
    """Change one answer of an interview sent back to you, with the reason (idempotent by
    event_id)."""

    permission_classes = INTERVIEWER

    class AmendInput(serializers.Serializer):
        event_id = serializers.UUIDField(help_text="A new UUID per change; resend on retry.")
        path = serializers.CharField(max_length=255)
        kind = serializers.ChoiceField(choices=list(interviews.ANSWER_KINDS),
                                       default=interviews.Kind.ANSWER)
        value = serializers.JSONField(required=False, allow_null=True, default=None)
        reason = serializers.CharField(max_length=MAX_COMMENT)

    @extend_schema(request=AmendInput, responses={200: ReviewOutput, **ERRORS})
    def post(self, request, pk: int):
        interview = _sent_back(request, pk)
        serializer = self.AmendInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        review_amend(interview=interview, user=request.user, **serializer.validated_data)
        return Response(_review_data(Interview.objects.get(pk=pk)))


class ResubmitApi(FieldworkApi):
    """Send the amended interview back to review."""

    permission_classes = INTERVIEWER

    @extend_schema(request=None, responses={200: ReviewOutput, **ERRORS})
    def post(self, request, pk: int):
        interview = review_resubmit(interview=_sent_back(request, pk), by=request.user)
        return Response(_review_data(interview))
