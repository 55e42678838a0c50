from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import pages as account_pages
from accounts.views.login import RateLimitedLoginView

urlpatterns = [
    path("", account_pages.home, name="home"),
    path("accounts/login/", RateLimitedLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("questionnaires/", include("questionnaires.urls")),
    path("sampling/", include("sampling.urls")),
    path("analysis/", include("analysis.urls")),
    path("waves/", include("survey.urls.waves")),
    path("interviewing/", include("survey.urls.interviewing")),
    path("supervision/", include("survey.urls.supervision")),
    path("", include("survey.urls.review")),  # review pages and API (issue 17)
    path("back-checks/", include("survey.urls.back_checks")),
    path("results/", include("exports.urls")),
    path("api/", include("accounts.api.urls")),
    path("api/", include("survey.api.urls")),
    path("api/", include("questionnaires.api.urls")),
    path("api/", include("sampling.api.urls")),
    path("api/", include("analysis.api.urls")),
    path("api/", include("exports.api.staff_urls")),
    path("api/public/", include("exports.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves Swagger UI's set-up script as a file (no inline script: CSP)
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
         name="api-docs"),
]

handler400 = "bas.views.bad_request"
handler403 = "bas.views.permission_denied"
handler404 = "bas.views.page_not_found"
handler500 = "bas.views.server_error"
