"""regex() without catastrophic backtracking.

- The pattern is bounded (``MAX_PATTERN``) and no shape that can backtrack exponentially is
  accepted: a repetition of a repetition (unless each inner run ends at a character it cannot
  match, as in ``([a-z]+\\.)+``), a repetition of overlapping alternatives, back-references.
- The input is bounded, more tightly the more unfenced repetitions follow one another (each
  adds a power of the input length to the worst case: ``a+a+a+b``).
- In the main thread (gunicorn's workers) a match also has a time limit (``TIME_LIMIT``).
"""

from __future__ import annotations

import contextlib
import re
import re._parser as sre_parse  # the standard library's own pattern parser
import signal
import threading
import warnings
from functools import lru_cache

from .errors import ExpressionError

MAX_PATTERN = 200  # characters in a pattern
MAX_INPUT = 1000  # characters matched against
TIME_LIMIT = 0.5  # seconds, where a timer can interrupt the match
_DASH_AFTER_CLASS = re.compile(r"(\\[wdsWDS])-")
_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT} \
    if hasattr(sre_parse, "POSSESSIVE_REPEAT") else {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT}


@lru_cache(maxsize=512)
def compile_safe(pattern: str) -> re.Pattern[str]:
    return _compile_safe(pattern)[0]


@lru_cache(maxsize=512)
def input_limit(pattern: str) -> int:
    return _compile_safe(pattern)[1]


def _compile_safe(pattern: str) -> tuple[re.Pattern[str], int]:
    """The compiled pattern, or ExpressionError saying why it is refused."""
    if len(pattern) > MAX_PATTERN:
        raise ExpressionError(f"regex pattern longer than {MAX_PATTERN} characters")
    # XPath regexes (as ODK runs them, in Java) take '-' after a class escape literally: [\w-.]
    pattern = _DASH_AFTER_CLASS.sub(r"\1\\-", pattern)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = sre_parse.parse(pattern)
            compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise ExpressionError(f"invalid regex pattern: {exc}") from None
    items = list(parsed)
    _check(items, inside_repeat=False)
    runs = _unfenced(items)
    return compiled, (MAX_INPUT, 300, 100)[runs] if runs < 3 else 40


def _unfenced(items) -> int:
    """How many unbounded repetitions do not end at a character they cannot match."""
    count = 0
    items = list(items)
    for index, (op, arg) in enumerate(items):
        if op in _REPEATS:
            body = list(arg[2])
            if arg[1] > 20 and not _fenced(body, items[index + 1:]):
                count += 1
            count += _unfenced(body)
        elif op is sre_parse.BRANCH:
            count += max((_unfenced(b) for b in arg[1]), default=0)
        elif op is sre_parse.SUBPATTERN:
            count += _unfenced(arg[-1])
    return count


def _check(items, inside_repeat: bool) -> None:
    items = list(items)
    for index, (op, arg) in enumerate(items):
        if op in _REPEATS:
            low, high, body = arg
            body = list(body)
            if inside_repeat and high != 1 and not _fenced(body, items[index + 1:]):
                raise ExpressionError("regex pattern repeats a repetition (e.g. (a+)+), which "
                                      "can take forever to match")
            _check(body, inside_repeat=inside_repeat or high > 1)
        elif op is sre_parse.BRANCH:
            if inside_repeat and not _disjoint_branches(arg[1]):
                raise ExpressionError("regex pattern repeats an alternation (e.g. (a|ab)*), "
                                      "which can take forever to match; use a character "
                                      "class")
            for branch in arg[1]:
                _check(list(branch), inside_repeat)
        elif op is sre_parse.SUBPATTERN:
            _check(list(arg[-1]), inside_repeat)
        elif op in (sre_parse.GROUPREF, sre_parse.GROUPREF_EXISTS):
            raise ExpressionError("regex back-references are not allowed")
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            _check(list(arg[1]), inside_repeat)


# Character sets over a small alphabet, enough to tell whether two single-character items can
# match the same character.
_ALPHABET = range(0, 256)
_CATEGORIES = {
    sre_parse.CATEGORY_DIGIT: lambda c: chr(c).isdigit(),
    sre_parse.CATEGORY_NOT_DIGIT: lambda c: not chr(c).isdigit(),
    sre_parse.CATEGORY_SPACE: lambda c: chr(c).isspace(),
    sre_parse.CATEGORY_NOT_SPACE: lambda c: not chr(c).isspace(),
    sre_parse.CATEGORY_WORD: lambda c: chr(c).isalnum() or c == ord("_"),
    sre_parse.CATEGORY_NOT_WORD: lambda c: not (chr(c).isalnum() or c == ord("_")),
}


def _chars(item) -> set[int] | None:
    """The characters a single-character item matches (None if not such an item)."""
    op, arg = item
    if op is sre_parse.LITERAL:
        return {arg}
    if op is sre_parse.NOT_LITERAL:
        return set(_ALPHABET) - {arg}
    if op is sre_parse.ANY:
        return set(_ALPHABET)
    if op is sre_parse.IN:
        out: set[int] = set()
        negate = False
        for kind, value in arg:
            if kind is sre_parse.NEGATE:
                negate = True
            elif kind is sre_parse.LITERAL:
                out.add(value)
            elif kind is sre_parse.RANGE:
                out.update(range(value[0], value[1] + 1))
            elif kind is sre_parse.CATEGORY and value in _CATEGORIES:
                out.update(c for c in _ALPHABET if _CATEGORIES[value](c))
            else:
                return None
        return set(_ALPHABET) - out if negate else out
    return None


def _fenced(body, after) -> bool:
    """An inner repetition of one character set followed by a character it cannot match
    (as in ([a-z]+\\.)+): each repetition ends at a fixed place, so no exponential search."""
    inner = _chars(body[0]) if len(body) == 1 else None
    if inner is None:
        return False
    for item in after:
        chars = _chars(item)
        if chars is not None:
            return not (chars & inner)
        if item[0] in _REPEATS and item[1][0] > 0:
            return False
    return False


def _disjoint_branches(branches) -> bool:
    """Alternatives that each start with a different character cannot both match."""
    seen: set[int] = set()
    for branch in branches:
        first = list(branch)[:1]
        chars = _chars(first[0]) if first else None
        if chars is None or chars & seen:
            return False
        seen |= chars
    return True


class _TimeUp(Exception):
    pass


def _time_up(signum, frame) -> None:
    raise _TimeUp


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Interrupt the block after ``seconds`` (only in the main thread, where signals go)."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def regex_match(text: str, pattern: str) -> bool:
    compiled = compile_safe(pattern)
    limit = input_limit(pattern)
    if len(text) > limit:
        raise ExpressionError(f"regex() input longer than {limit} characters for this pattern")
    try:
        with _time_limit(TIME_LIMIT):
            return compiled.search(text) is not None
    except _TimeUp:
        raise ExpressionError(f"regex() took longer than {TIME_LIMIT} s") from None
