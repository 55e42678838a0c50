from django.urls import path

from sampling.api import views

urlpatterns = [
    path("frames/", views.FrameListApi.as_view(), name="api-frames"),
    path("frames/<int:pk>/samples/", views.SampleDrawApi.as_view(), name="api-sample-draw"),
    path("frames/<int:pk>/sample-preview/", views.SamplePreviewApi.as_view(),
         name="api-sample-preview"),
    path("samples/<int:pk>/", views.SampleDetailApi.as_view(), name="api-sample"),
    path("samples/<int:pk>/release/", views.SampleReleaseApi.as_view(),
         name="api-sample-release"),
]
