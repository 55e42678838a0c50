"""The analyst's borough-estimate (small-area) pages: a wave's runs, the form choosing the
model, and a run's diagnostics. Analysts only. Thin: each view calls one service or selector;
errors are raised, and the middleware shows them where the view says."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import role_required
from analysis import small_area_choice, small_area_runs
from analysis import small_area_diagnostics as diagnostics
from analysis import small_area_requests as requests
from analysis.borough_table import MAX_BYTES
from analysis.models import SmallAreaRun
from bas.errors import BasError
from bas.web_errors import rerender_on_error
from survey.models import Wave

ANALYSTS = roles.ANALYSTS


@role_required(*ANALYSTS)
def small_area_list(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    return render(request, "analysis/small_area_list.html", {
        "wave": wave, "runs": diagnostics.wave_small_areas(wave),
        "accepted": requests.latest_accepted_run(wave)})


@role_required(*ANALYSTS)
def small_area_new(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    return _form(request, wave)


@require_POST
@role_required(*ANALYSTS)
def small_area_start(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    rerender_on_error(request, lambda error: _form(request, wave, error,
                                                  status=error.http_status))
    small_area = requests.small_area_request(wave=wave, user=request.user, data=request.POST)
    messages.success(request, f"Borough estimates {small_area.pk} made: check the "
                              "diagnostics of each measure.")
    return redirect("small-area-detail", pk=small_area.pk)


@require_POST
@role_required(*ANALYSTS)
def borough_table_new(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    rerender_on_error(request, lambda error: _form(request, wave, error,
                                                  status=error.http_status, upload=True))
    upload = request.FILES.get("file")
    table = small_area_runs.borough_table_upload(
        # one byte over the limit is enough for the reader to say the file is too big
        content=upload.read(MAX_BYTES + 1) if upload else b"",
        name=upload.name if upload else "", source=request.POST.get("source", "")[:400],
        as_of=request.POST.get("as_of", "")[:40], user=request.user)
    messages.success(request, f"Borough table {table.name} uploaded: its columns are listed "
                              "among the auxiliaries below.")
    return redirect("small-area-new", wave_id=wave.pk)


def _form(request, wave: Wave, error: BasError | None = None, status: int = 200,
          upload: bool = False) -> HttpResponse:
    problems: dict[str, list[str]] = {}
    for problem in (error.fields.get("problems", []) if error else []):
        problems.setdefault(problem["field"], []).append(problem["message"])
    run = requests.latest_accepted_run(wave)
    posted = request.POST if request.method == "POST" and not upload else None
    return render(request, "analysis/small_area_new.html", {
        "wave": wave, "run": run, "choices": requests.form_choices(wave, run),
        "values": requests.form_values(posted),
        "problems": {} if upload else problems,
        "upload_problems": problems if upload else {},
        "upload_values": {"source": request.POST.get("source", "")[:400],
                          "as_of": request.POST.get("as_of", "")[:40]} if upload else {},
        "error": error if error and not problems and not upload else None,
        "upload_error": error if error and not problems and upload else None,
    }, status=status)


@require_POST
@role_required(*ANALYSTS)
def small_area_choose(request, pk: int):
    small_area = get_object_or_404(SmallAreaRun.objects.select_related("run"), pk=pk)
    small_area_choice.small_area_choose(small_area=small_area, user=request.user)
    messages.success(request, f"Borough estimates {small_area.pk} are now the ones "
                              "published for the wave.")
    return redirect("small-area-list", wave_id=small_area.run.wave_id)


@role_required(*ANALYSTS)
def small_area_detail(request, pk: int):
    small_area = get_object_or_404(
        SmallAreaRun.objects.select_related("run__wave", "created_by", "borough_table"), pk=pk)
    chosen = diagnostics.measure_diagnostics(small_area, request.GET.get("measure", "")[:64])
    return render(request, "analysis/small_area_detail.html", {
        "small_area": small_area, "wave": small_area.run.wave, "chosen": chosen,
        "measures": diagnostics.run_measures(small_area),
        # built by analysis.small_area_plots with ElementTree: every text in them is escaped
        "plots": {name: mark_safe(svg) for name, svg in chosen.plots.items()},  # noqa: S308
        **diagnostics.publication_state(small_area),
        "method_names": diagnostics.METHOD_NAMES})
