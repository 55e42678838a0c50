from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts.permissions import HasRole
from questionnaires import selectors, services
from questionnaires.api.serializers import QuestionnaireOutput, UploadInput, VersionOutput
from questionnaires.models import QuestionnaireVersion

READERS = HasRole.of(*roles.QUESTIONNAIRE_READERS)
AUTHORS = HasRole.of(*roles.ANALYSTS)


class QuestionnaireListApi(APIView):
    permission_classes = [READERS]

    @extend_schema(responses=QuestionnaireOutput(many=True))
    def get(self, request):
        return Response(QuestionnaireOutput(selectors.questionnaire_list(), many=True).data)


class VersionUploadApi(APIView):
    """Upload a workbook: stored as the next version of its questionnaire, or every problem
    listed with sheet, row and column (and nothing stored)."""

    permission_classes = [AUTHORS]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": UploadInput},
                   responses={201: VersionOutput, 400: OpenApiResponse(description="Problems")})
    def post(self, request):
        data = UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["workbook"]
        version = services.questionnaire_version_upload(
            workbook=upload.read(), filename=upload.name, user=request.user,
            notes=data.validated_data["notes"],
            files=[(f.name, f.read()) for f in data.validated_data["files"]],
        )
        return Response(VersionOutput(version).data, status=status.HTTP_201_CREATED)


class VersionDetailApi(APIView):
    permission_classes = [READERS]

    @extend_schema(responses=VersionOutput)
    def get(self, request, pk: int):
        version = get_object_or_404(QuestionnaireVersion, pk=pk)
        body = VersionOutput(version).data
        body["definition"] = version.definition
        body["codebook"] = selectors.version_codebook(version)
        return Response(body)


class VersionDiffApi(APIView):
    permission_classes = [READERS]

    @extend_schema(responses=OpenApiResponse(description="added, removed, changed"))
    def get(self, request, pk: int, other: int):
        old = get_object_or_404(QuestionnaireVersion, pk=other)
        new = get_object_or_404(QuestionnaireVersion, pk=pk)
        return Response({"from": old.pk, "to": new.pk, **selectors.version_diff(old, new)})
