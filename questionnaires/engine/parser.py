"""Recursive-descent parser: expression text -> syntax tree (see ``syntax``).

Grammar (lowest precedence first)::

    or      := and ('or' and)*
    and     := eq ('and' eq)*
    eq      := rel (('=' | '!=') rel)*
    rel     := add (('<' | '<=' | '>' | '>=') add)*
    add     := mul (('+' | '-') mul)*
    mul     := unary (('*' | 'div' | 'mod') unary)*
    unary   := '-' unary | primary
    primary := NUMBER | STRING | ${name} | '.' | '(' or ')' | NAME '(' args ')' | NAME

Every node records its depth so that nesting beyond ``MAX_DEPTH`` fails with a clear error
before any recursion could exhaust the stack.
"""

from __future__ import annotations

from functools import lru_cache

from .errors import ExpressionError
from .functions import ARITY
from .syntax import (
    MAX_ARGS,
    MAX_DEPTH,
    Binary,
    Call,
    Dot,
    Logical,
    Name,
    Neg,
    Node,
    Num,
    Parent,
    Ref,
    Str,
)
from .tokens import Token, tokenize

FUNCTIONS = ARITY  # function name -> (min args, max args or None)
KEYWORDS = {"and", "or", "div", "mod"}
_LEVELS: list[tuple[str, ...]] = [("=", "!="), ("<", "<=", ">", ">="), ("+", "-"),
                                  ("*", "div", "mod")]


@lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """Parse ``text``; raises ExpressionError naming what is wrong and where."""
    return _Parser(tokenize(text)).parse()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def is_op(self, ops: tuple[str, ...]) -> bool:
        tok = self.tok
        return (tok.kind in ("op", "name")) and tok.text in ops

    def expect(self, kind: str, what: str) -> Token:
        if self.tok.kind != kind:
            raise self.error(f"expected {what}")
        return self.advance()

    def error(self, detail: str) -> ExpressionError:
        tok = self.tok
        found = "end of expression" if tok.kind == "end" else repr(tok.text)
        return ExpressionError(f"{detail}, found {found}", tok.pos)

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise ExpressionError("empty expression", 0)
        node, _ = self.logical("or", 0)
        if self.tok.kind != "end":
            raise self.error("expected an operator or the end")
        return node

    def check_depth(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested more than {MAX_DEPTH} levels deep",
                                  self.tok.pos)

    def logical(self, op: str, depth: int) -> tuple[Node, int]:
        self.check_depth(depth)
        sub = (lambda d: self.logical("and", d)) if op == "or" else (lambda d: self.binary(0, d))
        node, node_depth = sub(depth)
        operands = [node]
        while self.tok.kind == "name" and self.tok.text == op:
            self.advance()
            node, d = sub(depth + 1)
            operands.append(node)
            node_depth = max(node_depth, d)
        if len(operands) == 1:
            return node, node_depth
        self.check_depth(node_depth + 1)
        return Logical(op, tuple(operands)), node_depth + 1

    def binary(self, level: int, depth: int) -> tuple[Node, int]:
        if level == len(_LEVELS):
            return self.unary(depth)
        left, left_depth = self.binary(level + 1, depth)
        while self.is_op(_LEVELS[level]):
            op = self.advance().text
            right, right_depth = self.binary(level + 1, depth + 1)
            left_depth = max(left_depth, right_depth) + 1
            self.check_depth(left_depth)
            left = Binary(op, left, right)
        return left, left_depth

    def unary(self, depth: int) -> tuple[Node, int]:
        self.check_depth(depth)
        if self.tok.kind == "op" and self.tok.text == "-":
            self.advance()
            operand, d = self.unary(depth + 1)
            self.check_depth(d + 1)
            return Neg(operand), d + 1
        return self.primary(depth)

    def primary(self, depth: int) -> tuple[Node, int]:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return Num(float(tok.text)), 1
        if tok.kind == "str":
            self.advance()
            return Str(tok.text), 1
        if tok.kind == "ref":
            self.advance()
            return Ref(tok.text), 1
        if tok.kind == "dot":
            self.advance()
            return Dot(), 1
        if tok.kind == "lp":
            self.advance()
            node, d = self.logical("or", depth + 1)
            self.expect("rp", "')'")
            return node, d
        if tok.kind == "name" and tok.text not in KEYWORDS:
            self.advance()
            if self.tok.kind == "lp":
                return self.call(tok, depth)
            return Name(tok.text), 1
        if tok.kind == "dotdot":
            raise self.error("'..' is only allowed in position(..)")
        raise self.error("expected a value")

    def call(self, name_tok: Token, depth: int) -> tuple[Node, int]:
        name = name_tok.text
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name}()", name_tok.pos)
        self.advance()  # (
        args: list[Node] = []
        max_depth = 0
        if name == "position":
            if self.tok.kind != "rp":
                self.expect("dotdot", "'..' (position(..) gives the repeat instance number)")
            args.append(Parent())
        elif self.tok.kind != "rp":
            while True:
                arg, d = self.logical("or", depth + 1)
                args.append(arg)
                max_depth = max(max_depth, d)
                if len(args) > MAX_ARGS:
                    raise self.error(f"more than {MAX_ARGS} arguments")
                if self.tok.kind != "comma":
                    break
                self.advance()
        self.expect("rp", "',' or ')'")
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            wanted = str(low) if low == high else f"{low} to {high or 'many'}"
            raise ExpressionError(f"{name}() takes {wanted} argument(s), got {len(args)}",
                                  name_tok.pos)
        self.check_depth(max_depth + 1)
        return Call(name, tuple(args)), max_depth + 1
