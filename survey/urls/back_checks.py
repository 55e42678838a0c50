from django.urls import path

from survey.views import back_checks as views

urlpatterns = [
    path("", views.to_do, name="back-check-to-do"),
    path("<int:pk>/", views.check_detail, name="back-check-detail"),
    path("<int:pk>/take/", views.check_take, name="back-check-take"),
    path("<int:pk>/record/", views.check_record, name="back-check-record"),
    path("waves/<int:wave_id>/", views.wave_back_checks, name="back-check-wave"),
    path("waves/<int:wave_id>/draw/", views.wave_draw, name="back-check-draw"),
    path("waves/<int:wave_id>/settings/", views.wave_plan, name="back-check-plan"),
]
