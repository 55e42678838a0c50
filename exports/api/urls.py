from django.urls import path

from . import views

urlpatterns = [
    path("waves/", views.WaveListApi.as_view(), name="public-waves"),
    path("measures/", views.MeasureListApi.as_view(), name="public-measures"),
    path("domains/", views.DomainListApi.as_view(), name="public-domains"),
    path("estimates/", views.EstimateListApi.as_view(), name="public-estimates"),
    path("changes/", views.ChangeListApi.as_view(), name="public-changes"),
]
