"""Supervisors' pages: the waves, a wave's progress and rates, its cases, and the actions.

Supervisors see their agency's waves; MOPAC's analysts and admins see every wave (another
agency's wave is a 404, as if it did not exist); interviewers get 403. Actions are POSTs
(CSRF-protected), each calling one service in survey.services.supervision.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import has_role, role_required
from bas.errors import BasError
from bas.web_errors import rerender_on_error
from survey import aapor
from survey.models import Case, Wave
from survey.selectors import supervision as selectors
from survey.selectors.fieldwork import case_get, wave_get
from survey.services import supervision
from survey.views.downloads import csv_download

VIEWERS = roles.FIELDWORK_VIEWERS
ACTORS = roles.SUPERVISORS
RELEASERS = roles.RELEASERS
CASES_PER_PAGE = 50
REFRESH_SECONDS = 60  # the wave page reloads its figures this often (it can be paused)


def _wave(request, wave_id: int) -> Wave:
    wave = wave_get(user=request.user, wave_id=wave_id)
    if wave is None:
        raise Http404(f"wave {wave_id} not found")
    return wave


def _case(request, case_id: int) -> Case:
    case = case_get(user=request.user, case_id=case_id)
    if case is None:
        raise Http404(f"case {case_id} not found")
    return case


@role_required(*VIEWERS)
def wave_index(request):
    return render(request, "survey/supervision/index.html",
                  {"waves": selectors.supervised_waves(user=request.user)})


@role_required(*VIEWERS)
def wave_detail(request, wave_id: int):
    wave = _wave(request, wave_id)
    report = selectors.wave_report(wave=wave)
    sizes = selectors.replicate_sizes(wave=wave)
    waiting = report.replicates_waiting
    return render(request, "survey/supervision/wave.html", {
        "wave": wave, "report": report, "overall_rows": [report.overall],
        "can_act": has_role(request.user, *ACTORS),
        "can_release": has_role(request.user, *RELEASERS),
        "next_release": {"replicate": waiting[0], "cases": sizes.get(waiting[0], 0)}
        if waiting else None,
        "at_work": selectors.cases_at_work(wave=wave),
        "rates": [{"name": name, "formula": aapor.rate_formula(name),
                   "percent": report.overall.percent[name]} for name in aapor.SUPERVISION_RATES],
        "actions": selectors.supervision_actions(wave=wave),
        "refresh_seconds": REFRESH_SECONDS,
    })


@role_required(*VIEWERS)
def wave_progress_csv(request, wave_id: int):
    wave = _wave(request, wave_id)
    rows = selectors.progress_csv_rows(selectors.wave_report(wave=wave))
    return csv_download(f"wave-{wave.pk}-progress.csv", selectors.PROGRESS_CSV_COLUMNS, rows)


@role_required(*VIEWERS)
def wave_cases(request, wave_id: int):
    wave = _wave(request, wave_id)
    filters = _case_filters(request)
    cases = selectors.wave_cases_search(wave=wave, user=request.user, **filters)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "survey/supervision/cases.html", {
        "wave": wave, "page": page, **filters,
        "query_string": urlencode({**filters, "q": filters["query"]} if filters["query"]
                                  else {k: v for k, v in filters.items() if k != "query"}),
        "statuses": Case.Status.choices, "orders": list(selectors.CASE_ORDERS),
        "strata": sorted(wave.cases.values_list("stratum", flat=True).distinct()),
        "interviewers": selectors.agency_interviewers(wave=wave),
        "can_act": has_role(request.user, *ACTORS),
        "show_names": selectors.may_see_business_names(user=request.user, wave=wave),
    })


@role_required(*VIEWERS)
def wave_cases_csv(request, wave_id: int):
    wave = _wave(request, wave_id)
    cases = selectors.wave_cases_search(wave=wave, user=request.user, **_case_filters(request))
    return csv_download(f"wave-{wave.pk}-cases.csv", selectors.CASE_CSV_COLUMNS,
                        selectors.case_csv_rows(cases.iterator(chunk_size=500)))


def _case_filters(request) -> dict[str, str]:
    return {"status": request.GET.get("status", ""), "stratum": request.GET.get("stratum", ""),
            "query": request.GET.get("q", "")[:100], "order": request.GET.get("order", "pk")}


def _act(request, *, done: Callable[[Any], str], action: Callable[[], object],
         then: HttpResponse) -> HttpResponse:
    """Run one service and go to `then`, telling the user what happened, or why not (a
    service's error reaches the error middleware, which shows it on the same `then`)."""
    rerender_on_error(request, lambda error: _with_error(request, error, then))
    result = action()
    messages.success(request, done(result))
    return then


def _with_error(request, error: BasError, then: HttpResponse) -> HttpResponse:
    messages.error(request, error.message)
    return then


@require_POST
@role_required(*RELEASERS)
def replicate_release(request, wave_id: int):
    wave = _wave(request, wave_id)
    return _act(
        request,
        done=lambda released: (f"Released replicate {released.replicate}: "
                               f"{released.cases_added} new cases."),
        action=lambda: supervision.wave_replicate_release_next(wave=wave, user=request.user),
        then=redirect("supervision-wave", wave_id=wave.pk))


@require_POST
@role_required(*ACTORS)
def wave_open(request, wave_id: int):
    wave = _wave(request, wave_id)
    return _act(request, done=lambda opened: f"Wave {opened} is in the field.",
                action=lambda: supervision.wave_open(wave=wave, user=request.user),
                then=redirect("supervision-wave", wave_id=wave.pk))


@require_POST
@role_required(*ACTORS)
def wave_close(request, wave_id: int):
    wave = _wave(request, wave_id)
    return _act(request, done=lambda closed: f"Wave {closed} is closed.",
                action=lambda: supervision.wave_finish(wave=wave, user=request.user),
                then=redirect("supervision-wave", wave_id=wave.pk))


@require_POST
@role_required(*ACTORS)
def case_reassign(request, case_id: int):
    case = _case(request, case_id)
    raw = request.POST.get("interviewer", "")
    interviewer = None
    if raw:
        interviewer = selectors.agency_interviewers(wave=case.wave).filter(
            pk=int(raw) if raw.isdigit() else -1).first()
        if interviewer is None:
            messages.error(request, f"interviewer: {raw!r} is not an interviewer of "
                                    f"{case.wave.agency}")
            return _back_to_cases(request, case)
    # The interviewer's name is data: it is only ever a value in the message, never a template.
    return _act(request, done=lambda _: f"Case {case.pk} reserved for {interviewer or 'anyone'}.",
                action=lambda: supervision.case_reassign(case=case, interviewer=interviewer,
                                                         user=request.user),
                then=_back_to_cases(request, case))


@require_POST
@role_required(*ACTORS)
def case_close(request, case_id: int):
    case = _case(request, case_id)
    return _act(request, done=lambda closed: f"Case {closed.pk} closed as {closed.final_code}.",
                action=lambda: supervision.case_close(case=case, user=request.user),
                then=_back_to_cases(request, case))


def _back_to_cases(request, case: Case):
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("supervision-cases", wave_id=case.wave_id)
