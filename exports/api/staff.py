"""The analyst's publishing API: preview what the public would see, publish with a
confirmation, withdraw with a reason. Thin views; errors are raised and the API handler
answers them."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts.permissions import HasRole
from exports import services
from exports.models import Publication
from exports.publication import facts_dict
from survey.models import Wave

ANALYSTS = HasRole.of(*roles.ANALYSTS)
TAG = ["publication"]


class PreviewOutput(serializers.Serializer):
    ready = serializers.BooleanField()
    blocker = serializers.CharField(allow_blank=True, help_text="What to do first, if not "
                                    "ready")
    facts = serializers.DictField(allow_null=True)
    previous_wave = serializers.CharField(allow_null=True)
    suppression_note = serializers.CharField(allow_blank=True)
    rows = serializers.ListField(child=serializers.DictField())
    changes = serializers.ListField(child=serializers.DictField())


class PublicationOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None)
    withdrawn_by = serializers.CharField(source="withdrawn_by.username", default=None)

    class Meta:
        model = Publication
        fields = ["id", "wave", "estimate_set", "rules", "facts", "created_by", "created_at",
                  "withdrawn_at", "withdrawn_reason", "withdrawn_by"]


class PublishInput(serializers.Serializer):
    confirm = serializers.BooleanField(default=False, help_text="true: the preview was "
                                       "checked")


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="", help_text="Shown to the "
                                   "public")


class PublicationPreviewApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(tags=TAG, responses=PreviewOutput, summary="What the public would see")
    def get(self, request, pk: int):
        preview, blocker = services.publication_readiness(get_object_or_404(Wave, pk=pk))
        return Response(PreviewOutput({
            "ready": preview is not None, "blocker": blocker,
            "facts": facts_dict(preview.facts) if preview else None,
            "previous_wave": preview.previous_wave if preview else None,
            "suppression_note": preview.suppression_note() if preview else "",
            "rows": preview.rows if preview else [],
            "changes": preview.changes if preview else []}).data)


class PublicationCreateApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(tags=TAG, request=PublishInput, responses={201: PublicationOutput},
                   summary="Publish the wave (confirm: true)")
    def post(self, request, pk: int):
        wave = get_object_or_404(Wave, pk=pk)
        data = PublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        published = services.wave_publish_confirmed(
            wave=wave, confirmed=data.validated_data["confirm"], user=request.user)
        return Response(PublicationOutput(published.publication).data,
                        status=status.HTTP_201_CREATED)


class PublicationWithdrawApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(tags=TAG, request=WithdrawInput, responses=PublicationOutput,
                   summary="Withdraw a publication with a reason the public is told")
    def post(self, request, pk: int):
        publication = get_object_or_404(Publication, pk=pk)
        data = WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        withdrawn = services.publication_withdraw(
            publication=publication, reason=data.validated_data["reason"], user=request.user)
        return Response(PublicationOutput(withdrawn).data)
