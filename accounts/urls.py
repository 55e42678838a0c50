from django.urls import path

from accounts.views import pages as views
from accounts.views import team

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/add/", team.interviewer_add, name="team-add"),
    path("team/<int:user_id>/deactivate/", team.interviewer_deactivate, name="team-deactivate"),
    path("team/<int:user_id>/activate/", team.interviewer_activate, name="team-activate"),
    path("team/<int:user_id>/password/", team.interviewer_password, name="team-password"),
    path("agencies/", views.agencies, name="agencies"),
]
