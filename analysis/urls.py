from django.urls import path

from analysis import views

urlpatterns = [
    path("", views.analysis_home, name="analysis-home"),
    path("waves/<int:wave_id>/weighting/", views.weighting_new, name="weighting-new"),
    path("waves/<int:wave_id>/weight/", views.weighting_start, name="weighting-start"),
    path("weightings/<int:pk>/", views.weighting_detail, name="weighting-detail"),
    path("weightings/<int:pk>/accept/", views.weighting_accept, name="weighting-accept"),
    path("weightings/<int:pk>/estimate/", views.estimates_start, name="estimates-start"),
    path("estimates/<int:pk>/", views.estimates_detail, name="estimates-detail"),
]
