"""A stateful interview over the pure routing functions: answer, don't know, refuse, back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .definition import Definition
from .errors import EngineError, answer_error
from .routing import (
    AuditEntry,
    Prompt,
    Route,
    apply_answer,
    next_question,
    prompt_for,
    route,
)


class Session:
    """One interview in memory. ``answers``, ``values`` and ``audit`` are what a caller
    stores (``values``: the calculated values, which calculates with a ``trigger`` and
    ``once()`` keep from one answer to the next).

    The cursor is the question on screen: normally the next unanswered one; after ``back()``
    an earlier one, and answering it moves forward through the route again.
    """

    def __init__(self, definition: Definition, answers: Mapping[str, object] | None = None, *,
                 language: str | None = None, today: dt.date | None = None,
                 on_route: bool = False, meta: Mapping[str, object] | None = None,
                 values: Mapping[str, object] | None = None) -> None:
        """``on_route``: the answers are a Session's own stored ``answers`` (they hold only the
        route already), so the first re-routing walk is skipped. ``meta``: the interview's
        metadata for metadata rows: ``start`` and ``end`` (the interview's timestamps),
        ``username`` (the interviewer), ``now``; others (``phonenumber``...) if known."""
        self.definition = definition
        self.language = language
        self.today = today
        self.meta = dict(meta or {})
        self.values: dict[str, object] = dict(values or {})
        self._route: Route | None = None  # the route of the current answers, once walked
        self.answers = {}
        if answers and on_route:
            self.answers = dict(answers)
        elif answers:
            # answers from elsewhere are re-routed once so they hold only the route
            first = route(definition, dict(answers), language=language, today=today,
                          meta=self.meta, stored=self.values)
            self.answers = first.answers
            if not first.dropped:
                self._route = first
        self.audit: list[AuditEntry] = []
        self.cursor: str | None = None

    @property
    def answers(self) -> dict[str, object]:
        return self._answers

    @answers.setter
    def answers(self, value: dict[str, object]) -> None:
        self._answers = value
        self._route = None

    def _options(self) -> dict:
        return {"language": self.language, "today": self.today, "meta": self.meta,
                "stored": self.values}

    def set_clock(self, now: dt.datetime, today: dt.date | None = None) -> None:
        """Work calculates out at the interview's own moment (now(), today())."""
        self.meta["now"] = now
        self.today = today or now.date()
        self._route = None

    def set_language(self, language: str | None) -> Prompt | None:
        """Switch language mid-interview (answers kept); returns the question on screen in it.

        ``None`` goes back to the default language; another language not in the form is
        refused with EngineError."""
        if language is not None and language not in self.definition.languages:
            raise EngineError([answer_error("unknown_language", value=language)])
        self.language = language
        self._route = None
        return self.current()

    def route(self) -> Route:
        """The route of the current answers (walked once, until the answers change)."""
        if self._route is None:
            self._route = route(self.definition, self.answers, **self._options())
        return self._route

    def current(self) -> Prompt | None:
        if self.cursor is not None:
            return prompt_for(self.definition, self.answers, self.cursor, **self._options())
        if self._route is not None:
            return self._route.next
        return next_question(self.definition, self.answers, pruned=True, **self._options())

    @property
    def complete(self) -> bool:
        return self.cursor is None and self.route().complete

    @property
    def data(self) -> dict[str, object]:
        result = self.route()
        return {**result.answers, **result.values}

    def answer(self, value: object, path: str | None = None) -> Prompt | None:
        """Answer the question on screen (or ``path``); returns the next prompt."""
        target = path or self._current_path()
        applied = apply_answer(self.definition, self.answers, target, value, **self._options())
        self.answers = applied.answers
        self._route = applied.route
        if applied.route is not None:
            self.values = dict(applied.route.values)
        self.audit += applied.audit
        self.cursor = self._after(applied.route, target)
        return self.current()

    def dont_know(self, path: str | None = None) -> Prompt | None:
        return self._code(path, "dont_know", "don't know")

    def refuse(self, path: str | None = None) -> Prompt | None:
        return self._code(path, "refused", "refused")

    def back(self) -> Prompt | None:
        """Show the question before the one on screen (its answer kept until changed)."""
        taken = self.route().path
        here = self.cursor
        index = taken.index(here) if here in taken else len(taken)
        if index == 0:
            return self.current()
        self.cursor = taken[index - 1]
        return self.current()

    def _current_path(self) -> str:
        prompt = self.current()
        if prompt is None:
            raise EngineError([answer_error("unknown_path", path="(interview complete)")])
        return prompt.path

    def _code(self, path: str | None, field_name: str, kind: str) -> Prompt | None:
        target = path or self._current_path()
        prompt = prompt_for(self.definition, self.answers, target, **self._options())
        code = getattr(prompt, field_name)
        if code is None:
            raise EngineError([answer_error("code_not_allowed", kind=kind)], target)
        return self.answer(code, target)

    @staticmethod
    def _after(result: Route | None, path: str) -> str | None:
        """The answered question that follows ``path`` on the route, else None (= next)."""
        if result is None or path not in result.path:
            return None
        index = result.path.index(path)
        return result.path[index + 1] if index + 1 < len(result.path) else None
