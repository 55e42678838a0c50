"""An interview's answers as a reviewer reads them and the interviewer amends them: every
question on its route, commented ones first, with the engine's prompt for each."""

from dataclasses import dataclass

from questionnaires.engine import Session
from questionnaires.models import QuestionnaireVersion
from questionnaires.selectors import version_definition
from survey.models import Interview


@dataclass(frozen=True)
class AnswerRow:
    path: str
    label: str
    type: str
    answer: object
    shown: str  # the answer as the reviewer reads it (choice labels, don't know, refused)
    comment: str  # the reviewer's comment on it, if any
    prompt: object  # the engine's Prompt (choices, codes) for the amend form


def answer_rows(*, interview: Interview, comments: dict[str, str] | None = None
                ) -> list[AnswerRow]:
    """The interview's questions on its route, commented ones first, then in order; with
    any question the route now reaches that is still unanswered."""
    comments = comments or {}
    session = _session(interview)
    rows = []
    for path in _route_paths(session):
        session.cursor = path
        prompt = session.current()
        if prompt is None:
            continue
        rows.append(AnswerRow(path=path, label=prompt.label, type=prompt.type,
                              answer=interview.answers.get(path), shown=_shown(prompt,
                              interview.answers.get(path), path in interview.answers),
                              comment=comments.get(path, ""), prompt=prompt))
    return sorted(rows, key=lambda row: not row.comment)


def _session(interview: Interview) -> Session:
    """The interview's routing session (its own timestamps as metadata: calculates see the
    interview as it was)."""
    version = QuestionnaireVersion.objects.only("definition").get(pk=interview.version_id)
    meta = {key: at.isoformat(timespec="seconds") for key, at in (
        ("start", interview.started_at), ("end", interview.completed_at)) if at is not None}
    return Session(version_definition(version), interview.answers, on_route=True, meta=meta)


def _route_paths(session) -> list[str]:
    session.cursor = None
    paths = list(session.route().path)
    pending = session.current()
    if pending is not None and pending.path not in paths:
        paths.append(pending.path)
    return paths


def _shown(prompt, answer: object, answered: bool) -> str:
    if not answered:
        return "(not answered)"
    if answer is not None and answer == prompt.dont_know:
        return "Don't know"
    if answer is not None and answer == prompt.refused:
        return "Refused"
    labels = {c.name: c.label for c in prompt.choices}
    if isinstance(answer, list):
        return "; ".join(labels.get(str(a), str(a)) for a in answer)
    return labels.get(str(answer), "" if answer is None else str(answer))
