"""Split expression text into tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ExpressionError
from .syntax import MAX_LENGTH, MAX_TOKENS

NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_.\-]*"
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d*)?|\.\d+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*)
  | (?P<dotdot>\.\.)
  | (?P<dot>\.)
  | (?P<lp>\()
  | (?P<rp>\))
  | (?P<comma>,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*(?:::?[A-Za-z_][A-Za-z0-9_\-]*)?)
    """,
    re.VERBOSE,
)
# ${last-saved#name}: the answer in the last form saved on the device (ODK)
_REF_NAME = re.compile(r"(?:last-saved#)?" + NAME_PATTERN + r"\Z")


@dataclass(frozen=True)
class Token:
    kind: str  # num str ref op dotdot dot lp rp comma name end
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` ending with an ``end`` token; raises ExpressionError."""
    if not isinstance(text, str):
        raise ExpressionError("expression must be text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters")
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise _bad_character(text, pos)
        kind = match.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        if kind == "ref":
            name = match.group("refname")
            if not _REF_NAME.match(name):
                raise ExpressionError(f"invalid reference ${{{name}}}", pos)
            tokens.append(Token("ref", name, pos))
        elif kind == "str":
            tokens.append(Token("str", match.group()[1:-1], pos))
        elif kind != "ws":
            tokens.append(Token(kind, match.group(), pos))
        if len(tokens) > MAX_TOKENS:
            raise ExpressionError(f"expression has more than {MAX_TOKENS} tokens")
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _bad_character(text: str, pos: int) -> ExpressionError:
    char = text[pos]
    if char in "'\"":
        return ExpressionError("unterminated string", pos)
    if text.startswith("${", pos):
        return ExpressionError("unterminated ${...} reference", pos)
    if char in "\u2018\u2019\u201c\u201d":
        return ExpressionError(f"curly quote {char!r}: write straight quotes ' or \"", pos)
    return ExpressionError(f"unexpected character {char!r}", pos)
