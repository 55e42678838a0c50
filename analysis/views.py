"""The analyst's pages: weighting a closed wave with options, its diagnostics and the Accept
step, estimates from an accepted run. Thin: each view calls one service or selector; errors
are raised, and the middleware shows them where the view says (`rerender_on_error`)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import role_required
from analysis import core, downloads, selectors, services, weighting_runs
from analysis.models import EstimateSet, WeightingRun
from analysis.weighting import CLASS_CHOICES, DEFAULT_RAKE_VARIABLES, RAKE_CHOICES
from bas.errors import BasError
from bas.web_errors import rerender_on_error
from survey.models import Wave

ANALYSTS = roles.ANALYSTS


@role_required(*ANALYSTS)
def analysis_home(request):
    waves = Wave.objects.select_related("agency").prefetch_related("weightings")
    return render(request, "analysis/home.html", {"waves": waves})


@role_required(*ANALYSTS)
def weighting_new(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    return _options_form(request, wave)


@require_POST
@role_required(*ANALYSTS)
def weighting_start(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    rerender_on_error(request, lambda error: _options_form(request, wave, error, status=400))
    upload = request.FILES.get("file")
    run = weighting_runs.weighting_request(
        wave=wave, user=request.user, data=request.POST,
        upload=(upload.name, upload.read()) if upload else None)
    messages.success(request, f"Weighted {wave.name}: check the diagnostics, then accept "
                              "the run to estimate and publish from it.")
    return redirect("weighting-detail", pk=run.pk)


def _options_form(request, wave: Wave, error: BasError | None = None,
                  status: int = 200) -> HttpResponse:
    problems = {}
    for problem in (error.fields.get("problems", []) if error else []):
        problems.setdefault(problem["field"], []).append(problem["message"])
    posted = request.POST if request.method == "POST" else None
    values = {
        "classes": posted.get("classes", "stratum") if posted else "stratum",
        "rake_variables": (posted.getlist("rake_variables") if posted
                           else list(DEFAULT_RAKE_VARIABLES)),
        "median_cap": posted.get("median_cap", "") if posted
        else weighting_runs.DEFAULT_MEDIAN_CAP,
        "trim_lower": posted.get("trim_lower", "") if posted else "",
        "population": posted.get("population", "frame") if posted else "frame",
        "margins": posted.get("margins", "") if posted else "",
        "source": posted.get("source", "") if posted else "",
        "as_of": posted.get("as_of", "") if posted else "",
    }
    return render(request, "analysis/weighting_new.html", {
        "wave": wave, "values": values, "problems": problems,
        "error": error if error and not problems else None,
        "class_choices": CLASS_CHOICES.items(), "rake_choices": RAKE_CHOICES.items(),
        "margins_files": selectors.margins_files()[:20],
    }, status=status)


@role_required(*ANALYSTS)
def weighting_detail(request, pk: int):
    run = get_object_or_404(WeightingRun.objects.select_related(
        "wave", "created_by", "accepted_by", "margins"), pk=pk)
    latest = run.estimates.first()
    return render(request, "analysis/weighting.html",
                  {"run": run, "summary": selectors.weighting_summary(run),
                   "estimates": latest, "ci_methods": core.proportion_ci_choices()})


@require_POST
@role_required(*ANALYSTS)
def weighting_accept(request, pk: int):
    run = get_object_or_404(WeightingRun, pk=pk)
    weighting_runs.weighting_accept(run=run, user=request.user)
    messages.success(request, f"Weighting run {run.pk} accepted: estimates and publication "
                              f"of {run.wave.name} now use it.")
    return redirect("weighting-detail", pk=pk)


@require_POST
@role_required(*ANALYSTS)
def estimates_start(request, pk: int):
    run = get_object_or_404(WeightingRun, pk=pk)
    rerender_on_error(request, lambda error: _failed(request, "Estimation", error,
                                                     redirect("weighting-detail", pk=pk)))
    estimates = services.estimate_set_create(
        run=run, user=request.user, ci=request.POST.get("ci", core.DEFAULT_PROPORTION_CI))
    return redirect("estimates-detail", pk=estimates.pk)


def _failed(request, what: str, error: BasError, then: HttpResponse) -> HttpResponse:
    messages.error(request, f"{what} failed: {error.message}")
    return then


@role_required(*ANALYSTS)
def estimates_detail(request, pk: int):
    estimates = get_object_or_404(EstimateSet.objects.select_related("run__wave"), pk=pk)
    chosen = _estimate_filter(request)
    return render(request, "analysis/estimates.html", {
        "estimates": estimates, "run": estimates.run, "chosen": chosen,
        "rows": selectors.estimate_table(estimates, chosen),
        "choices": selectors.estimate_choices(estimates), "query": request.GET.urlencode()})


@role_required(*ANALYSTS)
def estimates_download(request, pk: int, fmt: str):
    estimates = get_object_or_404(EstimateSet.objects.select_related("run__wave"), pk=pk)
    rows = selectors.estimate_table(estimates, _estimate_filter(request))
    wave = estimates.run.wave
    content = (downloads.estimates_csv(rows) if fmt == "csv" else downloads.estimates_xlsx(
        rows, f"Estimates {estimates.pk} of {wave.name} (weighting run {estimates.run_id})"))
    response = HttpResponse(content, content_type=downloads.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (f'attachment; filename="bas_estimates_{estimates.pk}.'
                                       f'{fmt}"')
    return response


def _estimate_filter(request) -> selectors.EstimateFilter:
    return selectors.EstimateFilter(measure=request.GET.get("measure", ""),
                                    by=request.GET.get("by", ""),
                                    domain=request.GET.get("domain", ""))
