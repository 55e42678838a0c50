from django.urls import path

from questionnaires.api import views

urlpatterns = [
    path("questionnaires/", views.QuestionnaireListApi.as_view(), name="api-questionnaires"),
    path("questionnaires/versions/", views.VersionUploadApi.as_view(),
         name="api-questionnaire-upload"),
    path("questionnaires/versions/<int:pk>/", views.VersionDetailApi.as_view(),
         name="api-questionnaire-version"),
    path("questionnaires/versions/<int:pk>/diff/<int:other>/", views.VersionDiffApi.as_view(),
         name="api-questionnaire-diff"),
]
