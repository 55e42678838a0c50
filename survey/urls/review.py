"""Review pages and API (issue 17), included at the site's root by bas/urls.py."""

from django.urls import path

from survey.api import review as api
from survey.views import review as views

urlpatterns = [
    path("review/waves/<int:wave_id>/", views.review_queue, name="review-queue"),
    path("review/interviews/<int:pk>/", views.review_interview, name="review-interview"),
    path("interviewing/sent-back/", views.sent_back_list, name="review-sent-back"),
    path("interviewing/sent-back/<int:pk>/", views.amend, name="review-amend"),
    path("api/waves/<int:pk>/review-queue/", api.ReviewQueueApi.as_view(),
         name="api-review-queue"),
    path("api/interviews/<int:pk>/review/", api.InterviewReviewApi.as_view(),
         name="api-interview-review"),
    path("api/interviews/<int:pk>/approve/", api.ApproveApi.as_view(),
         name="api-interview-approve"),
    path("api/interviews/<int:pk>/reject/", api.RejectApi.as_view(),
         name="api-interview-reject"),
    path("api/interviews/<int:pk>/escalate/", api.EscalateApi.as_view(),
         name="api-interview-escalate"),
    path("api/me/sent-back/", api.SentBackApi.as_view(), name="api-sent-back"),
    path("api/me/sent-back/<int:pk>/", api.SentBackDetailApi.as_view(),
         name="api-sent-back-detail"),
    path("api/interviews/<int:pk>/amend/", api.AmendApi.as_view(), name="api-interview-amend"),
    path("api/interviews/<int:pk>/resubmit/", api.ResubmitApi.as_view(),
         name="api-interview-resubmit"),
]
