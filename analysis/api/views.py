"""The analyst's API: weighting a closed wave with options (population totals from the frame
or an uploaded margins file, margins to rake on, weighting classes, trimming bounds), the
run's diagnostics, accepting it, and estimates from an accepted run. Thin views: one service
or selector each; errors are raised and the API handler answers them."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts.permissions import HasRole
from analysis import core, selectors, services, weighting_runs
from analysis.api.uploads import uploaded_table
from analysis.models import EstimateSet, PopulationMargins, WeightingRun
from analysis.weighting import CLASS_CHOICES, RAKE_CHOICES
from survey.models import Wave

ANALYSTS = HasRole.of(*roles.ANALYSTS)


class WeightingOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None)
    accepted_by = serializers.CharField(source="accepted_by.username", default=None)
    summary = serializers.SerializerMethodField(
        help_text="Options in words and the diagnostics to check before accepting: deff "
        "(Kish 1 + CV^2), effective_n, min, max, ratio, margins (target and achieved)")

    class Meta:
        model = WeightingRun
        fields = ["id", "wave", "spec", "status", "progress", "diagnostics", "message",
                  "margins", "created_by", "created_at", "finished_at", "accepted_at",
                  "accepted_by", "summary"]

    def get_summary(self, run) -> dict:
        summary = selectors.weighting_summary(run)
        population = summary["population"]
        if population.get("as_of"):
            summary["population"] = {**population, "as_of": population["as_of"].isoformat()}
        return summary


class WeightingInput(serializers.Serializer):
    """Options; every one optional (the defaults are the frame, all three margins, stratum
    classes and a cap of 6 x the median weight). Checked by the service."""

    population = serializers.ChoiceField(choices=list(weighting_runs.POPULATION_CHOICES),
                                         required=False)
    margins = serializers.IntegerField(required=False, help_text="An uploaded margins file "
                                       "(population 'file')")
    rake_variables = serializers.ListField(child=serializers.ChoiceField(
        choices=list(RAKE_CHOICES)), required=False)
    classes = serializers.ChoiceField(choices=list(CLASS_CHOICES), required=False)
    median_cap = serializers.FloatField(required=False, allow_null=True,
                                        help_text="Upper trimming bound, x the median weight")
    trim_lower = serializers.FloatField(required=False, allow_null=True,
                                        help_text="Lower trimming bound, x the median weight")


class MarginsOutput(serializers.ModelSerializer):
    class Meta:
        model = PopulationMargins
        fields = ["id", "name", "source", "as_of", "totals", "created_at"]


class MarginsInput(serializers.Serializer):
    file = serializers.FileField(help_text="CSV with columns variable, category, total")
    source = serializers.CharField(help_text="Where the totals come from")
    as_of = serializers.CharField(help_text="The date the totals describe (YYYY-MM-DD)")


class EstimateSetOutput(serializers.ModelSerializer):
    class Meta:
        model = EstimateSet
        fields = ["id", "run", "spec", "rows", "created_at"]


class EstimateInput(serializers.Serializer):
    ci = serializers.ChoiceField(choices=core.proportion_ci_choices(),
                                 default=core.DEFAULT_PROPORTION_CI)


class WeightingStartApi(APIView):
    permission_classes = [ANALYSTS]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=WeightingInput, responses={201: WeightingOutput})
    def post(self, request, wave_id: int):
        wave = get_object_or_404(Wave, pk=wave_id)
        upload = request.FILES.get("file")
        run = weighting_runs.weighting_request(
            wave=wave, user=request.user, data=request.data,
            upload=(upload.name, upload.read()) if upload else None)
        return Response(WeightingOutput(run).data, status=status.HTTP_201_CREATED)


class MarginsApi(APIView):
    permission_classes = [ANALYSTS]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=MarginsOutput(many=True))
    def get(self, request):
        return Response(MarginsOutput(selectors.margins_files(), many=True).data)

    @extend_schema(request={"multipart/form-data": MarginsInput},
                   responses={201: MarginsOutput})
    def post(self, request):
        margins = weighting_runs.population_margins_upload(**uploaded_table(request))
        return Response(MarginsOutput(margins).data, status=status.HTTP_201_CREATED)


class WeightingDetailApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(responses=WeightingOutput)
    def get(self, request, pk: int):
        return Response(WeightingOutput(get_object_or_404(WeightingRun, pk=pk)).data)


class WeightingAcceptApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(request=None, responses=WeightingOutput)
    def post(self, request, pk: int):
        run = weighting_runs.weighting_accept(run=get_object_or_404(WeightingRun, pk=pk),
                                              user=request.user)
        return Response(WeightingOutput(run).data)


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


class EstimateQuery(serializers.Serializer):
    measure = serializers.CharField(required=False, default="")
    by = serializers.ChoiceField(choices=["", "all", "borough", "sector_group"], required=False,
                                 default="")
    domain = serializers.CharField(required=False, default="",
                                   help_text="A borough's GSS code or a sector group")


class EstimateReviewOutput(EstimateSetOutput):
    table = serializers.SerializerMethodField(
        help_text="The rows matching measure, by and domain, with measure and domain names "
        "(boroughs by name)")

    class Meta(EstimateSetOutput.Meta):
        fields = [*EstimateSetOutput.Meta.fields, "table"]

    def get_table(self, estimates) -> list[dict]:
        return selectors.estimate_table(estimates, self.context["filter"])


class EstimateDetailApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(parameters=[EstimateQuery], responses=EstimateReviewOutput)
    def get(self, request, pk: int):
        query = EstimateQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        chosen = selectors.EstimateFilter(**query.validated_data)
        return Response(EstimateReviewOutput(get_object_or_404(EstimateSet, pk=pk),
                                             context={"filter": chosen}).data)
