from django.urls import path

from . import publishing_views, views

urlpatterns = [
    path("", views.dashboard, name="results-dashboard"),
    path("downloads/<int:pk>/<str:name>", publishing_views.public_download,
         name="results-download"),
    path("publications/", publishing_views.publication_list, name="publication-list"),
    path("publish/<int:wave_id>/", publishing_views.publication_new, name="publication-new"),
    path("publish/<int:wave_id>/confirm/", publishing_views.publication_create,
         name="publication-create"),
    path("publications/<int:pk>/withdraw/", publishing_views.publication_withdraw,
         name="publication-withdraw"),
]
