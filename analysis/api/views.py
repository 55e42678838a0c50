from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRole
from accounts.roles import Role
from analysis import core, services
from analysis.models import EstimateSet, WeightingRun
from survey.models import Wave

ANALYSTS = HasRole.of(Role.ANALYST, Role.ADMIN)


class WeightingOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None)

    class Meta:
        model = WeightingRun
        fields = ["id", "wave", "spec", "status", "progress", "diagnostics", "message",
                  "created_by", "created_at", "finished_at"]


class EstimateSetOutput(serializers.ModelSerializer):
    class Meta:
        model = EstimateSet
        fields = ["id", "run", "spec", "rows", "created_at"]


class EstimateInput(serializers.Serializer):
    ci = serializers.ChoiceField(choices=core.proportion_ci_choices(),
                                 default=core.DEFAULT_PROPORTION_CI)


class WeightingStartApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(request=None, responses={201: WeightingOutput})
    def post(self, request, wave_id: int):
        wave = get_object_or_404(Wave, pk=wave_id)
        run = services.weighting_run(wave=wave, user=request.user)
        return Response(WeightingOutput(run).data, status=status.HTTP_201_CREATED)


class WeightingDetailApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(responses=WeightingOutput)
    def get(self, request, pk: int):
        return Response(WeightingOutput(get_object_or_404(WeightingRun, pk=pk)).data)


class EstimateStartApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(request=EstimateInput, responses={201: EstimateSetOutput})
    def post(self, request, pk: int):
        run = get_object_or_404(WeightingRun, pk=pk)
        data = EstimateInput(data=request.data)
        data.is_valid(raise_exception=True)
        estimates = services.estimate_set_create(run=run, user=request.user,
                                                 ci=data.validated_data["ci"])
        return Response(EstimateSetOutput(estimates).data, status=status.HTTP_201_CREATED)


class EstimateDetailApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(responses=EstimateSetOutput)
    def get(self, request, pk: int):
        return Response(EstimateSetOutput(get_object_or_404(EstimateSet, pk=pk)).data)
