"""The public, read-only API: published waves only, disclosure-controlled figures, no
login, cached (the data in the Django cache, responses with Cache-Control)."""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers as drf_serializers
from rest_framework.pagination import PageNumberPagination
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


class PublicPagination(PageNumberPagination):
    """?page=N&page_size=M (at most MAX_PAGE_SIZE); answers count, next, previous, results."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1"),
    OpenApiParameter("page_size", int, description=f"Rows per page (default "
                     f"{PublicPagination.page_size}, at most {PublicPagination.max_page_size})"),
]


def page_of(serializer):
    return inline_serializer(f"Paginated{serializer.__name__}", fields={
        "count": drf_serializers.IntegerField(),
        "next": drf_serializers.URLField(allow_null=True),
        "previous": drf_serializers.URLField(allow_null=True),
        "results": serializer(many=True)})


class PublicApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicRateThrottle]

    def paginated(self, rows: list[dict], serializer) -> Response:
        paginator = PublicPagination()
        page = paginator.paginate_queryset(rows, self.request, view=self)
        return paginator.get_paginated_response(
            serializer(page, many=True, context={"request": self.request}).data)


@PUBLIC_CACHE
class WaveListApi(PublicApi):
    @extend_schema(tags=TAG, responses={200: page_of(PublicWaveOutput), **LIMITED},
                   parameters=PAGE_PARAMETERS,
                   summary="Published waves, and withdrawn publications with their reason")
    def get(self, request):
        results = selectors.public_results()
        return self.paginated(results["waves"] + results["withdrawn"], PublicWaveOutput)


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
    @extend_schema(tags=TAG, parameters=[PublicEstimateQuery, *PAGE_PARAMETERS],
                   responses={200: page_of(PublicEstimateOutput), **LIMITED},
                   summary="Estimates with 95% confidence intervals",
                   description="Suppressed figures (unweighted base under the threshold, or "
                               "recoverable from others) are null with suppressed = true.")
    def get(self, request):
        return self.paginated(_matching(request, "rows"), PublicEstimateOutput)


@PUBLIC_CACHE
class ChangeListApi(PublicApi):
    @extend_schema(tags=TAG, parameters=[PublicEstimateQuery, *PAGE_PARAMETERS],
                   responses={200: page_of(PublicChangeOutput), **LIMITED},
                   summary="Change from the previous published wave, with 95% intervals",
                   description="One row per wave x measure x domain found in both waves. "
                               "Figures are null with suppressed = true where either wave's "
                               "cell is suppressed.")
    def get(self, request):
        return self.paginated(_matching(request, "changes"), PublicChangeOutput)


def _matching(request, kind: str) -> list[dict]:
    """The public rows of `kind` (rows, changes) matching the query's filters."""
    query = PublicEstimateQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    wanted = query.validated_data
    return [r for r in selectors.public_results()[kind]
            if all(r[key] == value for key, value in wanted.items())]
