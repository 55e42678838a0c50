"""The interviewer's own day through the API (for an external CATI client): the calls they
made today and their appointment diary, as the interviewing home page shows them."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from survey.api.fieldwork import ERRORS, INTERVIEWER, FieldworkApi
from survey.selectors import interviewing as selectors


class CallRowOutput(serializers.Serializer):
    case_id = serializers.IntegerField()
    business = serializers.CharField()
    wave = serializers.CharField()
    at = serializers.CharField(help_text="Local time of the call, HH:MM (the wave's zone)")
    code = serializers.CharField(help_text="AAPOR disposition code of the outcome")
    outcome = serializers.CharField()
    notes = serializers.CharField()


class CallsTodayOutput(serializers.Serializer):
    calls = serializers.IntegerField()
    cases = serializers.IntegerField(help_text="Businesses called")
    completes = serializers.IntegerField()
    refusals = serializers.IntegerField()
    rows = CallRowOutput(many=True, help_text="Latest first")


class DiaryEntryOutput(serializers.Serializer):
    case_id = serializers.IntegerField()
    business = serializers.CharField()
    wave = serializers.CharField()
    due_at = serializers.DateTimeField()
    timezone = serializers.CharField()
    ask_for = serializers.CharField()
    due = serializers.BooleanField(help_text="Due now or overdue")
    mine = serializers.BooleanField(help_text="Made by the caller")
    reserved_for_me = serializers.BooleanField()


class MyCallsTodayApi(FieldworkApi):
    """The caller's calls since midnight, with the day's counts."""

    permission_classes = INTERVIEWER

    @extend_schema(responses={200: CallsTodayOutput, **ERRORS})
    def get(self, request):
        today = selectors.calls_today(user=request.user, now=timezone.now())
        return Response(CallsTodayOutput(today).data)


class MyAppointmentsApi(FieldworkApi):
    """The caller's appointment diary: appointments still to keep, overdue first, two weeks
    ahead."""

    permission_classes = INTERVIEWER

    @extend_schema(responses={200: DiaryEntryOutput(many=True), **ERRORS})
    def get(self, request):
        diary = selectors.appointment_diary(user=request.user, now=timezone.now())
        return Response(DiaryEntryOutput(diary, many=True).data)
