from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from analysis import core, services
from analysis.models import EstimateSet, WeightingRun
from bas.errors import BasError
from bas.web_errors import rerender_on_error
from survey.models import Wave

ANALYSTS = (Role.ANALYST, Role.ADMIN)


@role_required(*ANALYSTS)
def analysis_home(request):
    waves = Wave.objects.select_related("agency").prefetch_related("weightings")
    return render(request, "analysis/home.html", {"waves": waves})


@require_POST
@role_required(*ANALYSTS)
def weighting_start(request, wave_id: int):
    wave = get_object_or_404(Wave, pk=wave_id)
    rerender_on_error(request, lambda error: _failed(request, "Weighting", error,
                                                     redirect("analysis-home")))
    run = services.weighting_run(wave=wave, user=request.user)
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
    rerender_on_error(request, lambda error: _failed(request, "Estimation", error,
                                                     redirect("weighting-detail", pk=pk)))
    services.estimate_set_create(run=run, user=request.user,
                                 ci=request.POST.get("ci", core.DEFAULT_PROPORTION_CI))
    return redirect("weighting-detail", pk=pk)


def _failed(request, what: str, error: BasError, then: HttpResponse) -> HttpResponse:
    messages.error(request, f"{what} failed: {error.message}")
    return then


@role_required(*ANALYSTS)
def estimates_detail(request, pk: int):
    estimates = get_object_or_404(EstimateSet, pk=pk)
    return render(request, "analysis/weighting.html",
                  {"run": estimates.run, "estimates": estimates,
                   "ci_methods": core.proportion_ci_choices()})
