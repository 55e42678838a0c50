from django.urls import path, re_path

from questionnaires import views

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire-list"),
    path("upload/", views.questionnaire_upload, name="questionnaire-upload"),
    path("versions/<int:pk>/", views.version_detail, name="questionnaire-version"),
    re_path(r"^versions/(?P<pk>[0-9]+)/codebook\.(?P<fmt>json|xlsx)$",
            views.version_codebook_download, name="questionnaire-codebook"),
    path("versions/<int:pk>/workbook.xlsx", views.version_workbook_download,
         name="questionnaire-workbook"),
    path("versions/<int:pk>/diff/<int:other>/", views.version_diff, name="questionnaire-diff"),
    path("versions/<int:pk>/simulation/", views.version_simulation,
         name="questionnaire-simulation"),
]
