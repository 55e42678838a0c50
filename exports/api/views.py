"""The public, read-only API: published waves only, disclosure-controlled figures, no
login, cached (the data in the Django cache, responses with Cache-Control)."""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from exports import selectors
from exports.measures import BREAKDOWNS, MEASURES, SECTOR_GROUPS
from sampling.data.boroughs import BOROUGHS

from .serializers import (
    PublicBreakdownOutput,
    PublicChangeOutput,
    PublicEstimateOutput,
    PublicEstimateQuery,
    PublicMeasureOutput,
    PublicWaveOutput,
)
from .throttling import PublicRateThrottle

PUBLIC_CACHE = method_decorator(cache_control(public=True, max_age=selectors.CACHE_SECONDS),
                                name="dispatch")
TAG = ["public results"]
LIMITED = {429: OpenApiResponse(description="Too many requests from this address "
                                            "(PUBLIC_API_RATE); Retry-After says when to retry")}


class PublicApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicRateThrottle]


@PUBLIC_CACHE
class WaveListApi(PublicApi):
    @extend_schema(tags=TAG, responses={200: PublicWaveOutput(many=True), **LIMITED},
                   summary="Published waves")
    def get(self, request):
        return Response(PublicWaveOutput(selectors.public_results()["waves"], many=True).data)


@PUBLIC_CACHE
class MeasureListApi(PublicApi):
    @extend_schema(tags=TAG, responses={200: PublicMeasureOutput(many=True), **LIMITED},
                   summary="Measures")
    def get(self, request):
        return Response(PublicMeasureOutput(MEASURES, many=True).data)


@PUBLIC_CACHE
class DomainListApi(PublicApi):
    @extend_schema(tags=TAG, responses={200: PublicBreakdownOutput(many=True), **LIMITED},
                   summary="Breakdowns and their domains")
    def get(self, request):
        domains = {"all": [{"code": "", "label": "All businesses"}],
                   "borough": [{"code": c, "label": n} for c, n in BOROUGHS.items()],
                   "sector_group": [{"code": c, "label": n} for c, n in SECTOR_GROUPS.items()]}
        data = [{"name": name, "label": label, "domains": domains[name]}
                for name, label in BREAKDOWNS.items()]
        return Response(PublicBreakdownOutput(data, many=True).data)


@PUBLIC_CACHE
class EstimateListApi(PublicApi):
    @extend_schema(tags=TAG, parameters=[PublicEstimateQuery],
                   responses={200: PublicEstimateOutput(many=True), **LIMITED},
                   summary="Estimates with 95% confidence intervals",
                   description="Suppressed figures (unweighted base under the threshold, or "
                               "recoverable from others) are null with suppressed = true.")
    def get(self, request):
        return Response(PublicEstimateOutput(_matching(request, "rows"), many=True).data)


@PUBLIC_CACHE
class ChangeListApi(PublicApi):
    @extend_schema(tags=TAG, parameters=[PublicEstimateQuery],
                   responses={200: PublicChangeOutput(many=True), **LIMITED},
                   summary="Change from the previous published wave, with 95% intervals",
                   description="One row per wave x measure x domain found in both waves. "
                               "Figures are null with suppressed = true where either wave's "
                               "cell is suppressed.")
    def get(self, request):
        return Response(PublicChangeOutput(_matching(request, "changes"), many=True).data)


def _matching(request, kind: str) -> list[dict]:
    """The public rows of `kind` (rows, changes) matching the query's filters."""
    query = PublicEstimateQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    wanted = query.validated_data
    return [r for r in selectors.public_results()[kind]
            if all(r[key] == value for key, value in wanted.items())]
