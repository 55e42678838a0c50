from django.urls import path

from survey.api import fieldwork, supervision, waves

urlpatterns = [
    path("waves/", waves.WavesApi.as_view(), name="api-waves"),
    path("waves/<int:pk>/", waves.WaveApi.as_view(), name="api-wave"),
    path("waves/<int:pk>/extend/", waves.WaveExtendApi.as_view(), name="api-wave-extend"),
    path("waves/<int:pk>/next-case/", fieldwork.NextCaseApi.as_view(), name="api-next-case"),
    path("cases/<int:pk>/", fieldwork.CaseDetailApi.as_view(), name="api-case"),
    path("cases/<int:pk>/calls/", fieldwork.CallApi.as_view(), name="api-case-calls"),
    path("cases/<int:pk>/appointments/", fieldwork.AppointmentApi.as_view(),
         name="api-case-appointments"),
    path("cases/<int:pk>/interview/", fieldwork.InterviewStartApi.as_view(),
         name="api-case-interview"),
    path("interviews/<int:pk>/", fieldwork.InterviewApi.as_view(), name="api-interview"),
    path("interviews/<int:pk>/answers/", fieldwork.AnswerApi.as_view(),
         name="api-interview-answers"),
    path("interviews/<int:pk>/back/", fieldwork.BackApi.as_view(), name="api-interview-back"),
    path("interviews/<int:pk>/complete/", fieldwork.CompleteApi.as_view(),
         name="api-interview-complete"),
    path("interviews/<int:pk>/break-off/", fieldwork.BreakOffApi.as_view(),
         name="api-interview-break-off"),
    path("waves/<int:pk>/supervision/", supervision.WaveSupervisionApi.as_view(),
         name="api-wave-supervision"),
    path("waves/<int:pk>/release-replicate/", supervision.ReleaseReplicateApi.as_view(),
         name="api-wave-release-replicate"),
    path("waves/<int:pk>/open/", supervision.WaveOpenApi.as_view(), name="api-wave-open"),
    path("waves/<int:pk>/close/", supervision.WaveCloseApi.as_view(), name="api-wave-close"),
    path("cases/<int:pk>/reassign/", supervision.CaseReassignApi.as_view(),
         name="api-case-reassign"),
    path("cases/<int:pk>/close/", supervision.CaseCloseApi.as_view(), name="api-case-close"),
]
