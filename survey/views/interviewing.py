"""The interviewers' CATI screens: waves in the field, next case, the case, the interview.

Each view checks the role (interviewer only), finds objects through the agency-scoped
fieldwork selectors (another agency's case is a 404), and each POST calls one service.
Forms carry an event id made when the page is rendered, so a double submit or a resent form
is a retry that the services recognise, never a second call attempt.

The interview page is driven by `interviewing.js` through the CATI API (answers, back,
complete, break-off); the server renders the first state and a plain-form fallback.
"""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts import roles
from accounts.permissions import role_required
from bas.errors import BasError
from bas.web_errors import rerender_on_error
from questionnaires.engine import Prompt
from sampling.data.boroughs import BOROUGHS
from sampling.data.sic2007 import SECTION_NAMES
from survey.aapor import OUTCOMES, Outcome
from survey.api.fieldwork import CALL_OUTCOMES, InterviewStateOutput
from survey.errors import FieldworkError
from survey.models import Case, Interview, Wave
from survey.selectors import fieldwork as selectors
from survey.selectors import interviewing as home_selectors
from survey.services import calls, interviews, queue
from survey.services.scheduling import BusinessHours, moment_in_words
from survey.services.wave_settings import day

interviewer_only = role_required(*roles.INTERVIEWERS)
_CLOSED_CASE = (Case.Status.FINAL, Case.Status.CLOSED)


def _wave(request, pk: int) -> Wave:
    wave = selectors.wave_get(user=request.user, wave_id=pk)
    if wave is None:
        raise Http404(f"wave {pk} not found")
    return wave


def _case(request, pk: int) -> Case:
    case = selectors.case_get(user=request.user, case_id=pk)
    if case is None:
        raise Http404(f"case {pk} not found")
    return case


def _interview(request, pk: int) -> Interview:
    interview = selectors.interview_get(user=request.user, interview_id=pk)
    if interview is None:
        raise Http404(f"interview {pk} not found")
    return interview


def _local(at: datetime, wave: Wave) -> str:
    """'Thursday 4 December, 14:30' in the wave's time zone (with the year if not this one)."""
    return moment_in_words(at, ZoneInfo(wave.timezone), now=timezone.now())


# --- home and next case ---------------------------------------------------------------

@require_GET
@interviewer_only
def home(request):
    waves = selectors.wave_list(user=request.user).filter(status=Wave.Status.IN_FIELD)
    held = (selectors.case_list(user=request.user)
            .filter(assigned_to=request.user).exclude(status__in=_CLOSED_CASE)
            .order_by("assigned_at"))
    rows = [{"wave": w, "hours": BusinessHours.from_dict(w.business_hours, w.timezone).in_words()}
            for w in waves]
    now = timezone.now()
    return render(request, "survey/interviewing/home.html", {
        "waves": rows, "held": held,
        "today": home_selectors.calls_today(user=request.user, now=now),
        "diary": [{"entry": entry, "when": moment_in_words(entry.due_at,
                                                            ZoneInfo(entry.timezone), now=now)}
                  for entry in home_selectors.appointment_diary(user=request.user, now=now)],
    })


@require_POST
@interviewer_only
def next_case(request, pk: int):
    wave = _wave(request, pk)
    rerender_on_error(request, lambda error: _back_home_with(request, error))
    found = queue.case_next(wave=wave, user=request.user)
    if found.case is not None:
        return redirect("interviewing-case", pk=found.case.pk)
    messages.warning(request, _no_case_message(wave, found))
    return redirect("interviewing-home")


def _back_home_with(request, error: BasError) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("interviewing-home")


def _no_case_message(wave: Wave, found: queue.NextCase) -> str:
    if found.reason == "outside_business_hours":
        hours = BusinessHours.from_dict(wave.business_hours, wave.timezone).in_words()
        opens = _local(found.next_open_at, wave) if found.next_open_at else "not known"
        return (f"{wave.name}: outside calling hours ({hours}). "
                f"Calling opens again on {opens}.")
    if found.reason == "fieldwork_ended":
        return (f"{wave.name}: fieldwork ended on {day(wave.ends_on)}; no more cases are "
                "given out. Ask your supervisor whether the wave will be extended.")
    return (f"{wave.name}: no case is available now (appointments and call-backs are not "
            "due yet, fresh cases are used up or their quotas are met). Try again later.")


# --- the case page --------------------------------------------------------------------

@require_GET
@interviewer_only
def case_page(request, pk: int):
    return _render_case(request, _case(request, pk))


def _render_case(request, case: Case, *, error: BasError | None = None,
                 form: dict | None = None, confirm: dict | None = None) -> HttpResponse:
    detail = selectors.case_detail(user=request.user, case=case)
    now = timezone.now()
    upcoming = [a for a in detail["appointments"] if a.due_at >= now]
    context = {
        "case": case,
        "wave": case.wave,
        "business": business_rows(detail["business"]),
        "business_name": detail["business"].get("name", detail["business"]["reference"]),
        "phone": detail["business"].get("phone", ""),
        "attempts": [_history_row(a, case.wave) for a in detail["attempts"]],
        "appointments": [{"when": _local(a.due_at, case.wave), "ask_for": a.ask_for}
                         for a in detail["appointments"]],
        "while_interviewing": sorted(calls.WHILE_INTERVIEWING),
        "appointment": upcoming[0] if upcoming else None,
        "interview": detail["interview"],
        "held": case.assigned_to_id == request.user.pk and case.status not in _CLOSED_CASE,
        "outcome_groups": outcome_groups(CALL_OUTCOMES),
        "event_id": uuid.uuid4(),
        "error": error,
        "form": form or {},
        "timezone_name": case.wave.timezone,
        "confirm": confirm,
        "interview_open": bool(detail["interview"]
                               and detail["interview"]["status"] == Interview.Status.IN_PROGRESS),
        "appointment_when": _local(upcoming[0].due_at, case.wave) if upcoming else "",
    }
    status = error.http_status if error else 200
    return render(request, "survey/interviewing/case.html", context, status=status)


def _history_row(attempt, wave: Wave) -> dict:
    outcome = OUTCOMES.get(attempt.outcome)
    return {"called_at": _local(attempt.called_at, wave),
            "interviewer": attempt.interviewer.username,
            "code": attempt.code, "label": outcome.label if outcome else attempt.outcome,
            "notes": attempt.notes}


def _event_id(request) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get("event_id", ""))
    except ValueError as exc:
        raise FieldworkError("This form is out of date; reload the page and try again.",
                             code="invalid_event_id", fields={"field": "event_id"}) from exc


@require_POST
@interviewer_only
def case_outcome(request, pk: int):
    case = _case(request, pk)
    outcome = request.POST.get("outcome", "")
    notes = request.POST.get("notes", "").strip()
    rerender_on_error(request, lambda error: _render_case(request, case, error=error,
                                                          form={"notes": notes}))
    if outcome not in CALL_OUTCOMES:
        raise FieldworkError(f"'{outcome}' cannot be recorded here; choose one of the "
                             "outcome buttons.", code="unknown_outcome",
                             fields={"field": "outcome", "value": outcome})
    if OUTCOMES[outcome].final and request.POST.get("confirmed") != "yes":
        # A final outcome ends the case: it is recorded only once confirmed (a stray key
        # press shows this question, never a closed case).
        return _render_case(request, case, form={"notes": notes}, confirm=_button(
            OUTCOMES[outcome]) | {"event_id": request.POST.get("event_id", "")})
    recorded = calls.call_attempt_record(case=case, user=request.user, outcome=outcome,
                                         event_id=_event_id(request), notes=notes)
    messages.success(request, f"Case {case.pk} ({_label(case)}): recorded "
                              f"{recorded.attempt.code} {OUTCOMES[outcome].label}.")
    return redirect("interviewing-home")


def _label(case: Case) -> str:
    return case.sampled_business.business.name


@require_POST
@interviewer_only
def case_appointment(request, pk: int):
    case = _case(request, pk)
    form = {key: request.POST.get(key, "").strip() for key in ("due_at", "ask_for", "notes")}
    rerender_on_error(request, lambda error: _render_case(request, case, error=error, form=form))
    due_at = _parse_local(form["due_at"], case.wave)
    recorded = calls.appointment_make(case=case, user=request.user, due_at=due_at,
                                      event_id=_event_id(request), ask_for=form["ask_for"],
                                      notes=form["notes"])
    due = recorded.case.next_call_at or due_at
    who = f", ask for {form['ask_for']}" if form["ask_for"] else ""
    messages.success(request, f"Case {case.pk} ({_label(case)}): appointment made for "
                              f"{_local(due, case.wave)}{who}.")
    return redirect("interviewing-home")


def _parse_local(text: str, wave: Wave) -> datetime:
    """A date and time typed in the wave's time zone (datetime-local: YYYY-MM-DDTHH:MM)."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        shown = f"'{text}'" if text else "nothing"
        raise FieldworkError(f"Enter the appointment's date and time, such as "
                             f"2025-06-12 14:30 (you entered {shown}).",
                             code="invalid_due_at",
                             fields={"field": "due_at", "value": text}) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(wave.timezone))
    return parsed


@require_POST
@interviewer_only
def case_interview(request, pk: int):
    case = _case(request, pk)
    rerender_on_error(request, lambda error: _render_case(request, case, error=error))
    state, _ = interviews.interview_start_or_resume(case=case, user=request.user)
    return redirect("interviewing-interview", pk=state.interview.pk)


# --- the interview page ---------------------------------------------------------------

@require_GET
@interviewer_only
def interview_page(request, pk: int):
    return _render_interview(request, _interview(request, pk))


def _render_interview(request, interview: Interview, *, error: BasError | None = None
                      ) -> HttpResponse:
    state = interviews.interview_state(interview=interview)
    case = interview.case
    business = case.sampled_business.business
    if not selectors.contact_details_visible(user=request.user, case=case):
        business = {"name": business.reference, "phone": ""}  # need-to-know: no contact
    context = {
        "interview": interview,
        "case": case,
        "business": business,
        "state": state,
        "state_json": InterviewStateOutput(state).data,
        "prompt": prompt_display(state.prompt, answered=bool(
            state.prompt and state.prompt.path in interview.answers)),
        "api": {"state": reverse("api-interview", args=[interview.pk]),
                "answers": reverse("api-interview-answers", args=[interview.pk]),
                "back": reverse("api-interview-back", args=[interview.pk]),
                "language": reverse("api-interview-language", args=[interview.pk]),
                "complete": reverse("api-interview-complete", args=[interview.pk]),
                "break_off": reverse("api-interview-break-off", args=[interview.pk]),
                "home": reverse("interviewing-home"),
                "case": reverse("interviewing-case", args=[case.pk])},
        "event_id": uuid.uuid4(),
        "error": error,
        "open": interview.status == Interview.Status.IN_PROGRESS,
    }
    status = error.http_status if error else 200
    return render(request, "survey/interviewing/interview.html", context, status=status)


@require_POST
@interviewer_only
def interview_action(request, pk: int):
    """The plain-form fallback (no JavaScript): one action, one service, back to the page."""
    interview = _interview(request, pk)
    action = request.POST.get("action", "answer")
    rerender_on_error(request, lambda error: _render_interview(request, interview, error=error))
    _act(request, interview, action)
    if action == "complete":
        messages.success(request, f"Interview {interview.pk} completed.")
        return redirect("interviewing-home")
    return redirect("interviewing-interview", pk=interview.pk)


def _act(request, interview: Interview, action: str) -> None:
    user, post = request.user, request.POST
    if action == "back":
        interviews.interview_back(interview=interview, user=user)
    elif action == "language":
        interviews.interview_language_set(interview=interview, user=user,
                                          language=post.get("language", "")[:100])
    elif action == "complete":
        interviews.interview_complete(interview=interview, user=user,
                                      event_id=_event_id(request))
    elif action == "break_off":
        interviews.interview_break_off(interview=interview, user=user,
                                       event_id=_event_id(request),
                                       notes=post.get("notes", "").strip())
    elif action in interviews.ANSWER_KINDS:
        values = post.getlist("value")
        value = values if post.get("type") == "select_multiple" else (values or [None])[0]
        if post.get("type") == "rank" and action == "answer":
            value = rank_from_places(post)
        interviews.answer_submit(interview=interview, user=user, event_id=_event_id(request),
                                 path=post.get("path", ""), kind=action, value=value)
    else:
        raise FieldworkError(f"action: '{action}' is not one of answer, dont_know, refused, "
                             "back, language, complete, break_off", code="invalid_action",
                             fields={"field": "action", "value": action})


# --- display helpers ------------------------------------------------------------------

# Keys for the outcomes called most often (shown on the buttons, handled by interviewing.js).
OUTCOME_KEYS = {"no_answer": "n", "busy": "b", "answering_machine": "m", "callback": "c",
                "message_left": "l", "refusal": "x"}
_OUTCOME_GROUPS = [
    ("No contact", ("3.",)),
    ("Contact", ("1.2", "2.2")),
    ("Refused or unable", ("2.1", "2.3")),
    ("Not eligible", ("4.",)),
]


def outcome_groups(keys: list[str]) -> list[tuple[str, list[dict]]]:
    """The outcome buttons, grouped as interviewers think of them (no contact first)."""
    groups = []
    for title, prefixes in _OUTCOME_GROUPS:
        found = [_button(OUTCOMES[k]) for k in keys if OUTCOMES[k].code.startswith(prefixes)]
        if found:
            groups.append((title, found))
    return groups


def _button(outcome: Outcome) -> dict:
    return {"key": outcome.key, "label": outcome.label, "code": outcome.code,
            "shortcut": OUTCOME_KEYS.get(outcome.key, ""), "final": outcome.final}


def business_rows(details: dict) -> list[tuple[str, str]]:
    """The business's details as (label, value) rows, contact details first."""
    borough, sector = details.get("borough", ""), details.get("sector", "")
    address = ", ".join(p for p in (details.get("address"), details.get("postcode")) if p)
    rows = [
        ("Name", details.get("name", "")),
        ("Phone", details.get("phone", "")),
        ("Address", address),
        ("Borough", f"{BOROUGHS.get(borough, borough)} ({borough})"),
        ("Sector", f"{sector} {SECTION_NAMES.get(sector, '')}".strip()),
        ("Size band", f"{details.get('size_band', '')} employees"),
        ("Reference", details.get("reference", "")),
        ("Stratum", details.get("stratum", "")),
    ]
    return [(label, value) for label, value in rows if value]


def prompt_display(prompt: Prompt | None, answered: bool = True) -> dict | None:
    """The question for the plain-form fallback: numbered choices, the current answer (or,
    before it is answered, the form's default as a proposal: nothing is stored until sent)."""
    if prompt is None:
        return None
    answer = prompt.answer if answered else proposal(prompt)
    picked = {str(v) for v in answer} if isinstance(answer, list) else {str(answer)}
    special = answered and answer is not None and answer in (prompt.dont_know, prompt.refused)
    places = rank_places(prompt, answer) if prompt.type == "rank" else {}
    return {
        "prompt": prompt,
        "choices": [{"number": i, "name": c.name, "label": c.label, "checked": c.name in picked,
                     "place": places.get(c.name, i)}
                    for i, c in enumerate(prompt.choices, start=1)],
        "text_value": "" if answer is None or special or prompt.choices else answer,
        "special": ("don't know" if answer == prompt.dont_know else "refused") if special
        else "",
    }


def proposal(prompt: Prompt) -> object:
    """The default to pre-fill: choice names as a list for the choice widgets, else text."""
    if not prompt.default:
        return None
    if prompt.type in ("select_multiple", "rank"):
        return prompt.default.split()
    return prompt.default


def rank_places(prompt: Prompt, order: object) -> dict[str, int]:
    """Each choice's place in a ranking (the answer or the default, if it orders every
    choice once; else the choices' own order)."""
    names = [c.name for c in prompt.choices]
    given = [str(v) for v in order] if isinstance(order, list) else []
    if sorted(given) != sorted(names):
        given = names
    return {name: place for place, name in enumerate(given, start=1)}


MAX_PLACE_FIELDS = 200


def rank_from_places(post) -> str:
    """The order the engine takes ("c a b") from the fallback's place boxes (place-NAME)."""
    places = {key[6:]: post.get(key, "").strip() for key in list(post)[:MAX_PLACE_FIELDS]
              if key.startswith("place-")}
    count = len(places)
    numbers: dict[str, int] = {}
    for name, text in places.items():
        if not text.isdigit() or not 1 <= int(text) <= count:
            raise FieldworkError(f"Give every choice a place from 1 to {count}: '{text}' is "
                                 "not one of them.", code="invalid_rank",
                                 fields={"field": f"place-{name}", "value": text})
        numbers[name] = int(text)
    taken = sorted(numbers.values())
    twice = sorted({n for n in taken if taken.count(n) > 1})
    if twice:
        raise FieldworkError(f"Each place is given once: place {twice[0]} is given to more "
                             "than one choice.", code="invalid_rank",
                             fields={"field": "place", "value": twice[0]})
    return " ".join(sorted(numbers, key=numbers.__getitem__))
