from django.urls import path

from survey.views import paradata as paradata_views
from survey.views import supervision as views

urlpatterns = [
    path("", views.wave_index, name="supervision-home"),
    path("waves/<int:wave_id>/", views.wave_detail, name="supervision-wave"),
    path("waves/<int:wave_id>/cases/", views.wave_cases, name="supervision-cases"),
    path("waves/<int:wave_id>/cases.csv", views.wave_cases_csv, name="supervision-cases-csv"),
    path("waves/<int:wave_id>/progress.csv", views.wave_progress_csv,
         name="supervision-progress-csv"),
    path("waves/<int:wave_id>/quality/", paradata_views.wave_quality_page,
         name="supervision-quality"),
    path("waves/<int:wave_id>/paradata.zip", paradata_views.wave_paradata_zip,
         name="supervision-paradata"),
    path("waves/<int:wave_id>/release/", views.replicate_release,
         name="supervision-release"),
    path("waves/<int:wave_id>/open/", views.wave_open, name="supervision-wave-open"),
    path("waves/<int:wave_id>/close/", views.wave_close, name="supervision-wave-close"),
    path("cases/<int:case_id>/reassign/", views.case_reassign,
         name="supervision-case-reassign"),
    path("cases/<int:case_id>/close/", views.case_close, name="supervision-case-close"),
]
