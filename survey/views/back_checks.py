"""Back-check pages: a wave's back-checks with the share per interviewer (and its settings
and the day's draw), the checker's list of back-checks to do, and one back-check's
verification script.

Roles as the API (survey.api.back_checks): another agency's wave or back-check is a 404;
the interviewer of the interview checked (or anyone who recorded its answers) gets 403.
Each POST calls one service; its error re-renders the page with the message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import has_role, role_required
from bas.web_errors import rerender_on_error
from survey.models import BackCheck, Wave
from survey.selectors import back_checks as selectors
from survey.selectors.fieldwork import wave_get
from survey.services import back_checks as services
from survey.services.wave_settings import WaveSettingsInvalid

CHECKS_PER_PAGE = 50


def _wave(request, wave_id: int) -> Wave:
    wave = wave_get(user=request.user, wave_id=wave_id)
    if wave is None:
        raise Http404(f"wave {wave_id} not found")
    return wave


def _back_check(request, pk: int, *, viewing: bool = False) -> BackCheck:
    """As the API's: 404 for another agency's; 403 for its interviewer, and, to view it,
    for an interviewer while another checker holds it."""
    back_check = selectors.back_check_get(user=request.user, back_check_id=pk)
    if back_check is None:
        raise Http404(f"back-check {pk} not found")
    own = selectors.is_participant(request.user, back_check)
    hidden = selectors.hidden_from(request.user, back_check) if viewing or own else ""
    if hidden:  # a 403 page (a BasError on a POST would go back to the page with it)
        raise PermissionDenied(hidden)
    return back_check


# --- a wave's back-checks -------------------------------------------------------------------

def _wave_page(request, wave: Wave, *, plan_errors: dict | None = None, plan_form=None,
               status: int = 200):
    plan = selectors.plan_for(wave)
    page = Paginator(selectors.wave_back_checks(wave=wave), CHECKS_PER_PAGE).get_page(
        request.GET.get("page"))
    questions = selectors.closed_questions(selectors.definition_of(
        wave.questionnaire_version_id))
    return render(request, "survey/back_checks/wave.html", {
        "wave": wave, "plan": plan, "rows": selectors.share_rows(wave=wave),
        "draws": selectors.draws(wave=wave)[:10], "page": page,
        "questions": [item.name for item in questions],
        "plan_form": plan_form or {"share_percent": plan.share_percent, "seed": plan.seed,
                                   "key_questions": " ".join(plan.key_questions)},
        "plan_errors": plan_errors or {},
        "can_draw": has_role(request.user, *roles.BACK_CHECK_DRAWERS)
        and wave.status != Wave.Status.SETUP,
        "can_plan": has_role(request.user, *roles.ANALYSTS),
        "can_check": has_role(request.user, *roles.BACK_CHECKERS),
        "today": services.wave_today(wave, timezone.now()),
    }, status=status)


@role_required(*roles.FIELDWORK_VIEWERS)
def wave_back_checks(request, wave_id: int):
    return _wave_page(request, _wave(request, wave_id))


@require_POST
@role_required(*roles.BACK_CHECK_DRAWERS)
def wave_draw(request, wave_id: int):
    wave = _wave(request, wave_id)
    now = timezone.now()
    drawn = services.draw_back_checks(wave, day=services.wave_today(wave, now), now=now,
                                      user=request.user)
    if drawn.new:
        count = len(drawn.selected)
        messages.success(request, f"Drew {count} back-check{'' if count == 1 else 's'} for "
                                  f"{drawn.draw.day:%d %b %Y}.")
    else:
        messages.info(request, f"Back-checks for {drawn.draw.day:%d %b %Y} were drawn "
                               "already; nothing new was drawn.")
    return redirect("back-check-wave", wave_id=wave.pk)


@require_POST
@role_required(*roles.ANALYSTS)
def wave_plan(request, wave_id: int):
    wave = _wave(request, wave_id)
    form = {name: request.POST.get(name, "")[:500]
            for name in ("share_percent", "seed", "key_questions")}
    rerender_on_error(request, lambda error: _wave_page(
        request, wave, plan_form=form, status=400,
        plan_errors=error.by_field() if isinstance(error, WaveSettingsInvalid)
        else {"plan": [error.message]}))
    services.back_check_plan_update(
        wave=wave, user=request.user, share_percent=_whole(form["share_percent"]),
        seed=_whole(form["seed"]), key_questions=form["key_questions"].replace(",", " ").split())
    messages.success(request, "Back-check settings saved.")
    return redirect("back-check-wave", wave_id=wave.pk)


def _whole(text: str) -> int | str:
    """A whole number as typed, or the text itself (which the settings check names)."""
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


# --- the checker's pages --------------------------------------------------------------------

@role_required(*roles.BACK_CHECKERS)
def to_do(request):
    return render(request, "survey/back_checks/to_do.html",
                  {"checks": selectors.to_do(user=request.user), "listed": selectors.MAX_LISTED,
                   "more": selectors.to_do_beyond_list(user=request.user)})


def _check_page(request, back_check: BackCheck, *, form=None, error=None, status: int = 200):
    script = selectors.script_for(back_check)
    form = form or back_check.script
    agreement = selectors.agreement(back_check, script)
    given = form.get("answers") or {}
    return render(request, "survey/back_checks/check.html", {
        "check": back_check, "script": script,
        "questions": [{"q": q, "given": given.get(q.name, ""), "agrees": agreement[q.name]}
                      for q in script.key_questions],
        "taken_by_me": back_check.checker_id == request.user.pk,
        "happened": dict(selectors.HAPPENED).get(form.get("happened", ""), ""),
        "respondent_role": dict(selectors.RESPONDENT_ROLES).get(
            form.get("respondent_role", ""), ""),
        "contacts": selectors.contacts(request.user, back_check),
        "may_check": selectors.may_check(request.user, back_check),
        "form": form, "note": form.get("note", back_check.note),
        "outcomes": BackCheck.Outcome.choices, "error": error,
    }, status=status)


@role_required(*roles.BACK_CHECK_READERS)
def check_detail(request, pk: int):
    return _check_page(request, _back_check(request, pk, viewing=True))


@require_POST
@role_required(*roles.BACK_CHECKERS)
def check_take(request, pk: int):
    back_check = _back_check(request, pk)
    rerender_on_error(request, lambda error: _check_page(request, back_check, error=error,
                                                         status=error.http_status))
    services.back_check_take(back_check=back_check, user=request.user, now=timezone.now())
    return redirect("back-check-detail", pk=back_check.pk)


@require_POST
@role_required(*roles.BACK_CHECKERS)
def check_record(request, pk: int):
    back_check = _back_check(request, pk)
    script = selectors.script_for(back_check)
    form = {"happened": request.POST.get("happened", ""),
            "respondent_role": request.POST.get("respondent_role", ""),
            "minutes": request.POST.get("minutes", "")[:10],
            "answers": {q.name: request.POST.get(f"answer-{q.name}", "")[:1000]
                        for q in script.key_questions},
            "outcome": request.POST.get("outcome", ""),
            "note": request.POST.get("note", "")[:5000]}
    rerender_on_error(request, lambda error: _check_page(request, back_check, form=form,
                                                         error=error,
                                                         status=error.http_status))
    done = services.back_check_record(back_check=back_check, user=request.user,
                                      now=timezone.now(), outcome=form["outcome"],
                                      note=form["note"], script=form)
    messages.success(request, f"Back-check {done.pk} recorded: {done.get_outcome_display()}"
                     + (" and sent back to review." if done.escalated else "."))
    return redirect("back-check-detail", pk=done.pk)
