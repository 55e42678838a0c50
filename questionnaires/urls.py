from django.urls import path

from questionnaires import views

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire-list"),
    path("upload/", views.questionnaire_upload, name="questionnaire-upload"),
    path("versions/<int:pk>/", views.version_detail, name="questionnaire-version"),
    path("versions/<int:pk>/codebook.<str:fmt>", views.version_codebook_download,
         name="questionnaire-codebook"),
    path("versions/<int:pk>/workbook.xlsx", views.version_workbook_download,
         name="questionnaire-workbook"),
    path("versions/<int:pk>/diff/<int:other>/", views.version_diff, name="questionnaire-diff"),
    path("versions/<int:pk>/simulation/", views.version_simulation,
         name="questionnaire-simulation"),
]
