from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts.permissions import HasRole
from sampling import selectors, services
from sampling.api.serializers import (
    DesignInput,
    FrameOutput,
    FrameUploadInput,
    ReleaseInput,
    SampleOutput,
    SamplePreviewOutput,
)
from sampling.models import Frame, Sample
from sampling.upload import saved_upload

ANALYSTS = HasRole.of(*roles.ANALYSTS)


class FrameListApi(APIView):
    permission_classes = [ANALYSTS]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=FrameOutput(many=True))
    def get(self, request):
        return Response(FrameOutput(selectors.frame_list(), many=True).data)

    @extend_schema(request={"multipart/form-data": FrameUploadInput}, responses={201: FrameOutput})
    def post(self, request):
        data = FrameUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        with saved_upload(data.validated_data["file"]) as path:
            frame = services.frame_import(path=path, name=data.validated_data["name"],
                                          user=request.user)
        return Response(FrameOutput(frame).data, status=status.HTTP_201_CREATED)


class SampleDrawApi(APIView):
    """Create a sample design on a frame and draw it."""

    permission_classes = [ANALYSTS]

    @extend_schema(request=DesignInput, responses={201: SampleOutput})
    def post(self, request, pk: int):
        frame = get_object_or_404(Frame, pk=pk)
        data = DesignInput(data=request.data)
        data.is_valid(raise_exception=True)
        design = services.sample_design_create(frame=frame, user=request.user,
                                               **data.validated_data)
        sample = services.sample_draw(design=design, user=request.user)
        return Response(SampleOutput(sample).data, status=status.HTTP_201_CREATED)


class SamplePreviewApi(APIView):
    """What a design would draw from the frame, by borough, sector and size band; nothing is
    stored (drawing the same design afterwards stores exactly this sample)."""

    permission_classes = [ANALYSTS]

    @extend_schema(request=DesignInput, responses={200: SamplePreviewOutput})
    def post(self, request, pk: int):
        frame = get_object_or_404(Frame, pk=pk)
        data = DesignInput(data=request.data)
        data.is_valid(raise_exception=True)
        preview = selectors.sample_preview(frame=frame, **data.validated_data)
        return Response(SamplePreviewOutput(preview).data)


class SampleDetailApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(responses=SampleOutput)
    def get(self, request, pk: int):
        return Response(SampleOutput(get_object_or_404(Sample, pk=pk)).data)


class SampleReleaseApi(APIView):
    """Release replicates to fieldwork; probabilities are recomputed from those released."""

    permission_classes = [ANALYSTS]

    @extend_schema(request=ReleaseInput, responses=SampleOutput)
    def post(self, request, pk: int):
        sample = get_object_or_404(Sample, pk=pk)
        data = ReleaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        missing = services.replicates_release(
            sample=sample, replicates=data.validated_data["replicates"], user=request.user)
        return Response({**SampleOutput(sample).data, "strata_without_release": missing})
