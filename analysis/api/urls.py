from django.urls import path

from analysis.api import small_area, views

urlpatterns = [
    path("waves/<int:wave_id>/weightings/", views.WeightingStartApi.as_view(),
         name="api-weighting-start"),
    path("margins/", views.MarginsApi.as_view(), name="api-margins"),
    path("weightings/<int:pk>/", views.WeightingDetailApi.as_view(), name="api-weighting"),
    path("weightings/<int:pk>/accept/", views.WeightingAcceptApi.as_view(),
         name="api-weighting-accept"),
    path("weightings/<int:pk>/estimates/", views.EstimateStartApi.as_view(),
         name="api-estimates-start"),
    path("estimates/<int:pk>/", views.EstimateDetailApi.as_view(), name="api-estimates"),
    path("borough-tables/", small_area.BoroughTablesApi.as_view(), name="api-borough-tables"),
    path("weightings/<int:pk>/small-area/", small_area.SmallAreaStartApi.as_view(),
         name="api-small-area-start"),
    path("small-area/<int:pk>/", small_area.SmallAreaDetailApi.as_view(),
         name="api-small-area"),
]
