from django.urls import path

from accounts.views import pages as views

urlpatterns = [
    path("team/", views.team, name="team"),
    path("agencies/", views.agencies, name="agencies"),
]
