from django.urls import path

from . import staff

urlpatterns = [
    path("waves/<int:pk>/publication-preview/", staff.PublicationPreviewApi.as_view(),
         name="api-publication-preview"),
    path("waves/<int:pk>/publications/", staff.PublicationCreateApi.as_view(),
         name="api-publication-create"),
    path("publications/<int:pk>/withdraw/", staff.PublicationWithdrawApi.as_view(),
         name="api-publication-withdraw"),
]
