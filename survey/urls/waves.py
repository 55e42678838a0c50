from django.urls import path

from survey.views import waves as views

urlpatterns = [
    path("", views.wave_index, name="waves"),
    path("new/", views.wave_new, name="wave-new"),
    path("<int:wave_id>/", views.wave_detail, name="wave-detail"),
    path("<int:wave_id>/open/", views.wave_open, name="wave-open"),
    path("<int:wave_id>/extend/", views.wave_extend, name="wave-extend"),
    path("<int:wave_id>/close/", views.wave_close, name="wave-close"),
]
