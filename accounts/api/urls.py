from django.urls import path

from accounts.api import views

urlpatterns = [
    path("me/", views.MeApi.as_view(), name="api-me"),
    path("agencies/", views.AgencyListApi.as_view(), name="api-agencies"),
    path("team/", views.TeamApi.as_view(), name="api-team"),
    path("team/<int:pk>/deactivate/", views.TeamDeactivateApi.as_view(),
         name="api-team-deactivate"),
    path("team/<int:pk>/activate/", views.TeamActivateApi.as_view(), name="api-team-activate"),
    path("team/<int:pk>/password/", views.TeamPasswordApi.as_view(), name="api-team-password"),
]
