"""The analyst's publishing pages: a preview of what the public will see and a confirmation,
the list of publications, withdrawing one with a reason; and the public downloads. Thin:
each view calls one service or selector; errors are raised, not caught."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import role_required
from bas.web_errors import rerender_on_error
from survey.models import Wave

from . import selectors, services
from .models import Publication

ANALYSTS = roles.ANALYSTS


@role_required(*ANALYSTS)
def publication_new(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    return _preview_page(request, wave)


def _preview_page(request, wave: Wave, error=None, status: int = 200) -> HttpResponse:
    preview, blocker = services.publication_readiness(wave)
    return render(request, "exports/publish.html", {
        "wave": wave, "preview": preview, "blocker": blocker, "error": error,
        "headline": preview.rows_for("all") if preview else [],
        "boroughs": preview.rows_for("borough") if preview else [],
        "suppressed": sum(1 for r in preview.rows if r["suppressed"]) if preview else 0,
        "live": selectors.live_publication(wave)}, status=status)


@require_POST
@role_required(*ANALYSTS)
def publication_create(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    rerender_on_error(request, lambda error: _preview_page(request, wave, error, status=400))
    services.wave_publish_confirmed(wave=wave, confirmed=request.POST.get("confirm") == "yes",
                                    user=request.user)
    messages.success(request, f"{wave.name} is published: the public dashboard and API "
                              "show it now.")
    return redirect("publication-list")


@role_required(*ANALYSTS)
def publication_list(request):
    return render(request, "exports/publications.html",
                  {"publications": selectors.publications_for_staff()[:100]})


@require_POST
@role_required(*ANALYSTS)
def publication_withdraw(request, pk: int):
    publication = get_object_or_404(Publication, pk=pk)
    services.publication_withdraw(publication=publication, user=request.user,
                                  reason=request.POST.get("reason", ""))
    messages.success(request, f"Publication {publication.pk} of {publication.wave.name} is "
                              "withdrawn; the public dashboard and API state why.")
    return redirect("publication-list")


def public_download(request, pk: int, name: str):
    """A live publication's workbook, open-data CSV or metadata JSON (no login)."""
    stored = selectors.public_file(pk, name)
    if stored is None:
        raise Http404(name)
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{stored.name}"'
    response["Cache-Control"] = f"public, max-age={selectors.CACHE_SECONDS}"
    return response
