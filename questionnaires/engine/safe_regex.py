"""regex() without catastrophic backtracking: bounded pattern and input, and no pattern shape
that can backtrack exponentially (a repetition holding another repetition, an alternation
or a back-reference) is accepted."""

from __future__ import annotations

import re
import re._parser as sre_parse  # the standard library's own pattern parser
from functools import lru_cache

from .errors import ExpressionError

MAX_PATTERN = 200  # characters in a pattern
MAX_INPUT = 1000  # characters matched against
_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT} \
    if hasattr(sre_parse, "POSSESSIVE_REPEAT") else {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT}


@lru_cache(maxsize=512)
def compile_safe(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, or ExpressionError saying why it is refused."""
    if len(pattern) > MAX_PATTERN:
        raise ExpressionError(f"regex pattern longer than {MAX_PATTERN} characters")
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise ExpressionError(f"invalid regex pattern: {exc}") from None
    _check(parsed.data if hasattr(parsed, "data") else list(parsed), inside_repeat=False)
    return re.compile(pattern)


def _check(items, inside_repeat: bool) -> None:
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            if inside_repeat and high != 1:
                raise ExpressionError("regex pattern repeats a repetition (e.g. (a+)+), which "
                                      "can take forever to match")
            _check(list(body), inside_repeat=inside_repeat or high > 1)
        elif op is sre_parse.BRANCH:
            if inside_repeat:
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


def regex_match(text: str, pattern: str) -> bool:
    if len(text) > MAX_INPUT:
        raise ExpressionError(f"regex() input longer than {MAX_INPUT} characters")
    return compile_safe(pattern).search(text) is not None
