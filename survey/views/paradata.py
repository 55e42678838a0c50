"""Pages of a wave's interview quality: the interviewer quality indicators against the team,
and the paradata download (a zip of paradata.csv, events.csv and README.txt).

The wave's viewers (its agency's supervisors, MOPAC's analysts and admins) only; another
agency's wave is a 404 and interviewers get 403.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from accounts import roles
from accounts.permissions import role_required
from survey.models import Wave
from survey.selectors.fieldwork import wave_get
from survey.selectors.paradata import PARADATA_VERSION, paradata_zip
from survey.selectors.quality import wave_quality

VIEWERS = roles.FIELDWORK_VIEWERS


def _wave(request, wave_id: int) -> Wave:
    wave = wave_get(user=request.user, wave_id=wave_id)
    if wave is None:
        raise Http404(f"wave {wave_id} not found")
    return wave


@role_required(*VIEWERS)
def wave_quality_page(request, wave_id: int):
    wave = _wave(request, wave_id)
    return render(request, "survey/supervision/quality.html", {
        "wave": wave, "report": wave_quality(wave=wave), "paradata_version": PARADATA_VERSION})


def paradata_response(wave: Wave) -> HttpResponse:
    response = HttpResponse(paradata_zip(wave=wave), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, f"wave-{wave.pk}-paradata-{PARADATA_VERSION}.zip")
    return response


@role_required(*VIEWERS)
def wave_paradata_zip(request, wave_id: int):
    return paradata_response(_wave(request, wave_id))
