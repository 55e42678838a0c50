from django.urls import path

from survey import views

urlpatterns = [
    path("team/", views.team, name="team"),
    path("agencies/", views.agencies, name="agencies"),
]
