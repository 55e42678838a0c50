"""Wave set-up pages: the list of waves, a new wave, a wave's settings (editable in set-up),
and the actions open, extend and close.

MOPAC's analysts and admins create, change, open, extend and close waves; supervisors see
their agency's waves and may open and close them (as on the supervision page). Another
agency's wave is a 404. Each action calls one service; a service's error re-renders the page
with the error next to the field it concerns.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from accounts.permissions import has_role, require_role, role_required
from bas.errors import BasError
from bas.web_errors import rerender_on_error
from survey.aapor import OUTCOMES
from survey.models import Wave
from survey.selectors import back_checks, wave_setup
from survey.selectors.fieldwork import wave_get, wave_list
from survey.services import supervision, waves
from survey.services.wave_settings import (
    DAY_LABELS,
    RETRY_OUTCOMES,
    WaveSettingsInvalid,
    day,
    end_date_from_form,
    settings_from_form,
)

VIEWERS = roles.FIELDWORK_VIEWERS
SETTERS = roles.ANALYSTS
OPENERS = roles.WAVE_OPENERS


def _wave(request, wave_id: int) -> Wave:
    wave = wave_get(user=request.user, wave_id=wave_id)
    if wave is None:
        raise Http404(f"wave {wave_id} not found")
    return wave


@role_required(*VIEWERS)
def wave_index(request):
    return render(request, "survey/waves/list.html", {
        "waves": wave_list(user=request.user).select_related("sample__design"),
        "can_set_up": has_role(request.user, *SETTERS),
    })


@require_http_methods(["GET", "POST"])
@role_required(*SETTERS)
def wave_new(request):
    if request.method == "GET":
        return _form(request, None, _initial(None))
    rerender_on_error(request, lambda error: _form(request, None, request.POST, error))
    values = _submitted(request)
    wave = waves.wave_create(**values, user=request.user)
    messages.success(request, f"Wave {wave.name} is set up. {_cases_so_far(wave)} Check its "
                              "settings, then open it for fieldwork.")
    return redirect("wave-detail", wave_id=wave.pk)


@require_http_methods(["GET", "POST"])
@role_required(*VIEWERS)
def wave_detail(request, wave_id: int):
    wave = _wave(request, wave_id)
    if request.method == "POST":
        require_role(request.user, *SETTERS)
        rerender_on_error(request, lambda error: _form(request, wave, request.POST, error))
        values = _submitted(request)
        wave = waves.wave_update(wave=wave, user=request.user, **values)
        messages.success(request, f"Wave {wave.name}: settings saved.")
        return redirect("wave-detail", wave_id=wave.pk)
    if wave.status == Wave.Status.SETUP and has_role(request.user, *SETTERS):
        return _form(request, wave, _initial(wave))
    return _summary(request, wave)


def _cases_so_far(wave: Wave) -> str:
    cases = wave.cases.count()
    if cases:
        return f"It has {cases:,} businesses to call from the replicates released so far."
    if wave.replicates_at_start:
        first = ("replicate 1 is" if wave.replicates_at_start == 1
                 else f"replicates 1 to {wave.replicates_at_start} are")
        return f"Its businesses join it when it opens ({first} released then)."
    return ("It has no business to call yet: set replicates to release at the start, or "
            "release one from the supervision page.")


def _submitted(request) -> dict:
    values = settings_from_form(request.POST, days=request.POST.getlist("calling_days"))
    return {**values, **wave_setup.setup_objects(request.POST)}


def _initial(wave: Wave | None) -> dict:
    if wave is None:
        return {"calling_days": ["0", "1", "2", "3", "4"], "calling_start": "09:00",
                "calling_end": "17:30", "timezone": "Europe/London", "max_attempts": "10",
                "replicates_at_start": "0", "targets_by": "stratum", "review_levels": "agency"}
    by = "borough" if wave.borough_targets and not wave.stratum_targets else "stratum"
    targets = wave.borough_targets if by == "borough" else wave.stratum_targets
    return {
        "name": wave.name, "questionnaire_version": str(wave.questionnaire_version_id),
        "sample": str(wave.sample_id), "agency": str(wave.agency_id),
        "starts_on": wave.starts_on.isoformat() if wave.starts_on else "",
        "ends_on": wave.ends_on.isoformat() if wave.ends_on else "",
        "calling_days": [str(d) for d in wave.business_hours.get("days", [])],
        "calling_start": wave.business_hours.get("start", ""),
        "calling_end": wave.business_hours.get("end", ""),
        "timezone": wave.timezone, "max_attempts": str(wave.max_attempts),
        **{f"retry_gaps.{key}": str(minutes) for key, minutes in wave.retry_gaps.items()},
        "target_interviews": str(wave.target_interviews), "targets_by": by,
        "targets": "\n".join(f"{key}: {value}" for key, value in targets.items()),
        "replicates_at_start": str(wave.replicates_at_start),
        "review_levels": wave.review_levels,
    }


def _form_field(field: str) -> str:
    """The form input a service's problem belongs to."""
    if field.startswith(("stratum_targets", "borough_targets")):
        return "targets"
    return field


def _form(request, wave: Wave | None, values, error: BasError | None = None) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if isinstance(error, WaveSettingsInvalid):
        for field, found in error.by_field().items():
            errors.setdefault(_form_field(field), []).extend(found)
    elif error is not None:
        errors["__all__"] = [error.message]
    days = values.getlist("calling_days") if hasattr(values, "getlist") else values.get(
        "calling_days", [])
    sample = wave_setup.setup_objects(values)["sample"]
    target = str(values.get("target_interviews") or "")
    rows = []
    if sample is not None:
        facts = wave_setup.sample_facts(sample)
        overall = int(target) if target.isdigit() else (facts.allocated or facts.businesses)
        rows = wave_setup.allocation_rows(sample, overall)
    return render(request, "survey/waves/form.html", {
        "wave": wave, "values": values, "errors": errors,
        "problems": [] if error is None else [p.message for p in error.problems]
        if isinstance(error, WaveSettingsInvalid) else [error.message],
        "days": [(str(i), label, str(i) in days) for i, label in enumerate(DAY_LABELS)],
        "gaps": [{"key": key, "label": OUTCOMES[key].label, "standard": _standard_gap(key),
                  "value": values.get(f"retry_gaps.{key}", ""),
                  "errors": errors.get(f"retry_gaps.{key}", [])} for key in RETRY_OUTCOMES],
        "versions": wave_setup.version_choices(), "samples": wave_setup.sample_choices(),
        "agencies": wave_setup.agency_choices(), "allocation": rows, "can_set_up": True,
        "review_choices": Wave.Review.choices,
    }, status=error.http_status if error is not None else 200)


def _standard_gap(key: str) -> str:
    outcome = OUTCOMES[key]
    if outcome.next_business_day:
        return "next calling day"
    minutes = int(outcome.retry_after.total_seconds() // 60) if outcome.retry_after else 0
    return f"{minutes // 60} h" if minutes % 60 == 0 and minutes >= 60 else f"{minutes} min"


def _summary(request, wave: Wave, error: BasError | None = None) -> HttpResponse:
    hours = wave.business_hours
    return render(request, "survey/waves/detail.html", {
        "wave": wave, "error": error,
        "days": ", ".join(DAY_LABELS[d] for d in sorted(hours.get("days", []))),
        "hours": f"{hours.get('start', '')} to {hours.get('end', '')}",
        "starts": day(wave.starts_on) if wave.starts_on else "not set",
        "ends": day(wave.ends_on) if wave.ends_on else "not set",
        "gaps": [{"label": OUTCOMES[key].label, "standard": _standard_gap(key),
                  "minutes": wave.retry_gaps.get(key)} for key in RETRY_OUTCOMES],
        "stratum_targets": sorted(wave.stratum_targets.items()),
        "borough_targets": sorted(wave.borough_targets.items()),
        "cases": wave.cases.count(),
        "back_checks": back_checks.plan_for(wave),
        "can_set_up": has_role(request.user, *SETTERS),
        "can_open": has_role(request.user, *OPENERS),
    }, status=error.http_status if error is not None else 200)


@require_POST
@role_required(*SETTERS)
def wave_extend(request, wave_id: int):
    wave = _wave(request, wave_id)
    rerender_on_error(request, lambda error: _summary(request, wave, error))
    ends_on = end_date_from_form(request.POST.get("ends_on", ""))
    wave = waves.wave_extend(wave=wave, ends_on=ends_on, user=request.user)
    messages.success(request, f"Wave {wave.name} now ends on {day(wave.ends_on)}.")
    return redirect("wave-detail", wave_id=wave.pk)


@require_POST
@role_required(*OPENERS)
def wave_open(request, wave_id: int):
    wave = _wave(request, wave_id)
    rerender_on_error(request, lambda error: _summary(request, wave, error))
    wave = supervision.wave_open(wave=wave, user=request.user)
    messages.success(request, f"Wave {wave.name} is in the field with {wave.cases.count():,} "
                              "cases: interviewers can now take its cases.")
    return redirect("wave-detail", wave_id=wave.pk)


@require_POST
@role_required(*OPENERS)
def wave_close(request, wave_id: int):
    wave = _wave(request, wave_id)
    rerender_on_error(request, lambda error: _summary(request, wave, error))
    wave = supervision.wave_finish(wave=wave, user=request.user)
    messages.success(request, f"Wave {wave.name} is closed: every open case has its final "
                              "disposition.")
    return redirect("wave-detail", wave_id=wave.pk)
