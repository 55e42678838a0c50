from django.urls import path

from survey.views import interviewing as views

urlpatterns = [
    path("", views.home, name="interviewing-home"),
    path("waves/<int:pk>/next-case/", views.next_case, name="interviewing-next-case"),
    path("cases/<int:pk>/", views.case_page, name="interviewing-case"),
    path("cases/<int:pk>/outcome/", views.case_outcome, name="interviewing-case-outcome"),
    path("cases/<int:pk>/appointment/", views.case_appointment,
         name="interviewing-case-appointment"),
    path("cases/<int:pk>/interview/", views.case_interview, name="interviewing-case-interview"),
    path("interviews/<int:pk>/", views.interview_page, name="interviewing-interview"),
    path("interviews/<int:pk>/action/", views.interview_action,
         name="interviewing-interview-action"),
]
