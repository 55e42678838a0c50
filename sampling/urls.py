from django.urls import path

from sampling import views

urlpatterns = [
    path("", views.sampling_home, name="sampling-home"),
    path("frames/<int:pk>/", views.frame_detail, name="frame-detail"),
    path("samples/<int:pk>/", views.sample_detail, name="sample-detail"),
    path("samples/<int:pk>/release/", views.sample_release, name="sample-release"),
    path("samples/<int:pk>/sample.csv", views.sample_download, name="sample-download"),
]
