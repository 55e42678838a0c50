"""Review pages: a wave's review queue and an interview's review (supervisors of the wave's
agency, MOPAC's analysts), and the interviewer's "sent back" list and amend screen.

Another agency's wave or interview, or an interview not sent back to this interviewer, is a
404; a wrong role a 403. Each POST calls one service; its error re-renders the page.
"""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts import roles
from accounts.models import User
from accounts.permissions import role_required
from bas.errors import BasError
from bas.web_errors import rerender_on_error
from survey.errors import FieldworkError
from survey.models import Interview, Wave
from survey.selectors import review as selectors
from survey.selectors.fieldwork import wave_get
from survey.selectors.review_answers import answer_rows
from survey.selectors.supervision import agency_interviewers
from survey.services import interviews
from survey.services.review import (
    escalate_to_review,
    may_review,
    review_approve,
    review_level,
    review_reject,
)
from survey.services.review_amend import review_amend, review_resubmit

reviewer_only = role_required(*roles.REVIEWERS)
interviewer_only = role_required(*roles.INTERVIEWERS)
QUESTION_FIELD = "q."  # the reject form's comment on question PATH is field "q.PATH"


def _wave(request, wave_id: int) -> Wave:
    wave = wave_get(user=request.user, wave_id=wave_id)
    if wave is None:
        raise Http404(f"wave {wave_id} not found")
    return wave


def _reviewed(request, pk: int) -> Interview:
    interview = selectors.interview_for_review(user=request.user, interview_id=pk)
    if interview is None:
        raise Http404(f"interview {pk} not found")
    return interview


def _sent_back(request, pk: int) -> Interview:
    interview = selectors.sent_back(user=request.user).filter(pk=pk).first()
    if interview is None:
        raise Http404(f"interview {pk} is not sent back to you")
    return interview


@require_GET
@reviewer_only
def review_queue(request, wave_id: int):
    wave = _wave(request, wave_id)
    status = request.GET.get("status", "")
    if status not in selectors.Status.values:
        status = ""
    return render(request, "survey/review/queue.html", {
        "wave": wave, "status": status, "counts": selectors.review_counts(wave=wave),
        "interviews": selectors.review_queue(user=request.user, wave=wave,
                                             status=status or None),
        "statuses": [(value, label) for value, label in selectors.Status.choices if value],
    })


@require_http_methods(["GET", "POST"])
@reviewer_only
def review_interview(request, pk: int):
    interview = _reviewed(request, pk)
    if request.method == "GET":
        return _render_review(request, interview)
    rerender_on_error(request, lambda error: _render_review(request, interview, error=error))
    action, post = request.POST.get("action", ""), request.POST
    if action == "approve":
        review_approve(interview=interview, by=request.user, comment=post.get("comment", ""))
        messages.success(request, f"Interview {interview.pk} approved.")
    elif action == "reject":
        review_reject(interview=interview, by=request.user, comment=post.get("comment", ""),
                      question_comments=_question_comments(post),
                      return_to=_returnee(post.get("return_to", "")))
        messages.success(request, f"Interview {interview.pk} rejected and sent back.")
    elif action == "escalate":
        escalate_to_review(interview, by=request.user, reason=post.get("comment", ""),
                           now=timezone.now())
        messages.success(request, f"Interview {interview.pk} is back in review.")
    else:
        raise FieldworkError("action: choose approve, reject or send back to review.",
                             code="invalid_action", fields={"field": "action"})
    return redirect("review-queue", wave_id=interview.case.wave_id)


def _question_comments(post) -> dict[str, str]:
    return {key[len(QUESTION_FIELD):]: value for key, value in post.items()
            if key.startswith(QUESTION_FIELD) and value.strip()}


def _returnee(text: str) -> User | None:
    if not text:
        return None
    user = User.objects.filter(pk=int(text)).first() if text.isdigit() else None
    if user is None:
        raise FieldworkError(f"return_to: no interviewer '{text[:20]}'.",
                             code="not_an_interviewer_of_agency", fields={"field": "return_to"})
    return user


def _render_review(request, interview: Interview, *, error: BasError | None = None
                   ) -> HttpResponse:
    wave = interview.case.wave
    level = review_level(interview)
    comments = selectors.open_comments(interview=interview)
    posted = request.POST if error is not None else {}
    return render(request, "survey/review/interview.html", {
        "interview": interview, "wave": wave, "error": error,
        "rows": [{"row": row, "field": f"{QUESTION_FIELD}{row.path}",
                  "draft": posted.get(f"{QUESTION_FIELD}{row.path}", "")}
                 for row in answer_rows(interview=interview, comments=comments)],
        "history": selectors.history(interview=interview),
        "can_review": bool(level) and may_review(request.user, wave, level),
        "can_reopen": interview.review_status == selectors.Status.APPROVED,
        "interviewers": agency_interviewers(wave=wave),
        "comment": posted.get("comment", ""),
    }, status=error.http_status if error else 200)


@require_GET
@interviewer_only
def sent_back_list(request):
    return render(request, "survey/review/sent_back.html",
                  {"interviews": selectors.sent_back(user=request.user)})


@require_http_methods(["GET", "POST"])
@interviewer_only
def amend(request, pk: int):
    interview = _sent_back(request, pk)
    if request.method == "GET":
        return _render_amend(request, interview)
    rerender_on_error(request, lambda error: _render_amend(request, interview, error=error))
    post, action = request.POST, request.POST.get("action", "")
    if action == "resubmit":
        review_resubmit(interview=interview, by=request.user)
        messages.success(request, f"Interview {interview.pk} resubmitted for review.")
        return redirect("review-sent-back")
    if action not in interviews.ANSWER_KINDS:
        raise FieldworkError("action: change an answer or resubmit.", code="invalid_action",
                             fields={"field": "action"})
    values = post.getlist("value")
    value = values if post.get("type") in ("select_multiple", "rank") else (values or [None])[0]
    review_amend(interview=interview, user=request.user, event_id=_event_id(post),
                 path=post.get("path", "")[:255], kind=action, value=value,
                 reason=post.get("reason", ""))
    messages.success(request, f"Answer to {post.get('path', '')[:255]} changed.")
    return redirect("review-amend", pk=interview.pk)


def _event_id(post) -> uuid.UUID:
    try:
        return uuid.UUID(post.get("event_id", ""))
    except ValueError as exc:
        raise FieldworkError("This form is out of date; reload the page and try again.",
                             code="invalid_event_id", fields={"field": "event_id"}) from exc


def _render_amend(request, interview: Interview, *, error: BasError | None = None
                  ) -> HttpResponse:
    comments = selectors.open_comments(interview=interview)
    rows = answer_rows(interview=interview, comments=comments)
    history = selectors.history(interview=interview)
    return render(request, "survey/review/amend.html", {
        "interview": interview, "error": error, "rows": rows,
        "rejection": next((e for e in reversed(history) if e.action == "rejected"), None),
        "unanswered": [row.path for row in rows if row.shown == "(not answered)"],
        "event_id": uuid.uuid4(), "error_path": request.POST.get("path") if error else None,
    }, status=error.http_status if error else 200)
