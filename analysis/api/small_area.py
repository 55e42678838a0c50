"""The analyst's API for borough estimates: upload a borough table (auxiliaries with source
and date), run small-area estimation on an accepted weighting run, and read the result (per
borough x measure: direct, its SE and CV, EBLUP, MSE, shrinkage, the publication rule's
source, estimate, interval and note; the fit per measure; the method notes). Thin views: one
service or query each; errors are raised and the API handler answers them."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts.permissions import HasRole
from analysis import selectors, small_area_runs
from analysis.api.uploads import uploaded_table
from analysis.core.pooling import OVERLAP_TREATMENTS
from analysis.core.small_area import METHODS
from analysis.core.small_area.publication_rule import DIRECT_MEASURES
from analysis.models import BoroughTable, EstimateSet, SmallAreaRun, WeightingRun

ANALYSTS = HasRole.of(*roles.ANALYSTS)


class BoroughTableOutput(serializers.ModelSerializer):
    class Meta:
        model = BoroughTable
        fields = ["id", "name", "source", "as_of", "columns", "values", "created_at"]


class BoroughTableInput(serializers.Serializer):
    file = serializers.FileField(help_text="CSV: a borough column (GSS code or name), then one "
                                 "or more numeric columns; a row for each of the 33 boroughs")
    source = serializers.CharField(help_text="Where the figures come from")
    as_of = serializers.CharField(help_text="The date the figures describe (YYYY-MM-DD)")


class RuleInput(serializers.Serializer):
    direct_measure = serializers.ChoiceField(choices=list(DIRECT_MEASURES), required=False,
                                             help_text="cv, or width of the 95% interval")
    direct_threshold = serializers.FloatField(required=False, min_value=0.0)
    model_threshold = serializers.FloatField(required=False, min_value=0.0,
                                             help_text="Highest relative root MSE")


class SmallAreaInput(serializers.Serializer):
    """Every option optional: the run's published proportions, REML, smoothed variances,
    benchmarked, the default frame auxiliaries, the default rule (CV 20%, RRMSE 25%)."""

    estimate_set = serializers.IntegerField(required=False, help_text="Estimate from this "
                                            "set's run and measures")
    measures = serializers.ListField(child=serializers.CharField(), required=False)
    method = serializers.ChoiceField(choices=list(METHODS), default="reml")
    smooth = serializers.BooleanField(default=True)
    benchmark = serializers.BooleanField(default=True)
    auxiliaries = serializers.ListField(child=serializers.CharField(), required=False,
                                        help_text="The frame's borough auxiliaries to use")
    borough_table = serializers.IntegerField(required=False)
    table_columns = serializers.ListField(child=serializers.CharField(), required=False)
    rule = RuleInput(required=False)
    pool = serializers.ListField(child=serializers.IntegerField(), required=False,
                                 help_text="Accepted weighting runs of earlier waves to pool "
                                 "with this one (rolling quarters)")
    overlap = serializers.ChoiceField(choices=list(OVERLAP_TREATMENTS), default="independent",
                                      help_text="A business in two pooled waves: independent "
                                      "draws (counted) or one cluster across waves")


class SmallAreaOutput(serializers.ModelSerializer):
    rows = serializers.SerializerMethodField(
        help_text="Per measure x borough: n, direct, direct_se, direct_cv, direct_low, "
        "direct_high, eblup, mse, rrmse, gamma, source, estimate, ci_low, ci_high, note")

    class Meta:
        model = SmallAreaRun
        fields = ["id", "run", "estimate_set", "borough_table", "spec", "fits", "notes",
                  "created_at", "rows"]

    def get_rows(self, small_area) -> list[dict]:
        return selectors.small_area_rows(small_area)


class BoroughTablesApi(APIView):
    permission_classes = [ANALYSTS]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=BoroughTableOutput(many=True))
    def get(self, request):
        return Response(BoroughTableOutput(BoroughTable.objects.all(), many=True).data)

    @extend_schema(request={"multipart/form-data": BoroughTableInput},
                   responses={201: BoroughTableOutput})
    def post(self, request):
        table = small_area_runs.borough_table_upload(**uploaded_table(request))
        return Response(BoroughTableOutput(table).data, status=status.HTTP_201_CREATED)


class SmallAreaStartApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(request=SmallAreaInput, responses={201: SmallAreaOutput})
    def post(self, request, pk: int):
        run = get_object_or_404(WeightingRun, pk=pk)
        data = SmallAreaInput(data=request.data)
        data.is_valid(raise_exception=True)
        options = dict(data.validated_data)
        estimate_set = options.pop("estimate_set", None)
        table = options.pop("borough_table", None)
        pool = [get_object_or_404(WeightingRun, pk=p) for p in options.pop("pool", [])]
        small_area = small_area_runs.small_area_estimates(
            run=run, user=request.user,
            estimate_set=(get_object_or_404(EstimateSet, pk=estimate_set)
                          if estimate_set is not None else None),
            borough_table=(get_object_or_404(BoroughTable, pk=table)
                           if table is not None else None),
            **{k: v for k, v in options.items() if k != "rule"},
            rule=dict(options.get("rule") or {}), pool=pool)
        return Response(SmallAreaOutput(small_area).data, status=status.HTTP_201_CREATED)


class SmallAreaDetailApi(APIView):
    permission_classes = [ANALYSTS]

    @extend_schema(responses=SmallAreaOutput)
    def get(self, request, pk: int):
        return Response(SmallAreaOutput(get_object_or_404(SmallAreaRun, pk=pk)).data)
