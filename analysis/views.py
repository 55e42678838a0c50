from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from analysis import core, services
from analysis.models import EstimateSet, WeightingRun
from survey.models import Wave
from survey.permissions import role_required
from survey.roles import Role

ANALYSTS = (Role.ANALYST, Role.ADMIN)


@role_required(*ANALYSTS)
def analysis_home(request):
    waves = Wave.objects.select_related("agency").prefetch_related("weightings")
    return render(request, "analysis/home.html", {"waves": waves})


@require_POST
@role_required(*ANALYSTS)
def weighting_start(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    try:
        run = services.weighting_run(wave=wave, user=request.user)
    except core.AnalysisError as error:
        messages.error(request, f"Weighting failed: {error}")
        return redirect("analysis-home")
    messages.success(request, f"Weighted {wave}.")
    return redirect("weighting-detail", pk=run.pk)


@role_required(*ANALYSTS)
def weighting_detail(request, pk: int):
    run = get_object_or_404(WeightingRun.objects.select_related("wave", "created_by"), pk=pk)
    latest = run.estimates.first()
    return render(request, "analysis/weighting.html",
                  {"run": run, "estimates": latest, "ci_methods": core.proportion_ci_choices()})


@require_POST
@role_required(*ANALYSTS)
def estimates_start(request, pk: int):
    run = get_object_or_404(WeightingRun, pk=pk)
    try:
        services.estimate_set_create(run=run, user=request.user,
                                     ci=request.POST.get("ci", core.DEFAULT_PROPORTION_CI))
    except core.AnalysisError as error:
        messages.error(request, f"Estimation failed: {error}")
    return redirect("weighting-detail", pk=pk)


@role_required(*ANALYSTS)
def estimates_detail(request, pk: int):
    estimates = get_object_or_404(EstimateSet, pk=pk)
    return render(request, "analysis/weighting.html",
                  {"run": estimates.run, "estimates": estimates,
                   "ci_methods": core.proportion_ci_choices()})
