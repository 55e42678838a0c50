import contextlib
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.engine import ExpressionError, MappingEnv, evaluate, parse, to_text
from questionnaires.engine.parser import KEYWORDS
from questionnaires.engine.printer import format_number
from questionnaires.engine.syntax import (
    MAX_DEPTH,
    Binary,
    Call,
    Dot,
    Logical,
    Name,
    Neg,
    Num,
    Ref,
    Str,
)

names = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda n: n not in KEYWORDS)
leaves = st.one_of(
    st.floats(min_value=0, max_value=1e12, allow_nan=False).map(Num),
    st.text(alphabet="ab c'1", max_size=5).map(Str),
    names.map(Ref),
    st.just(Dot()),
    names.map(Name),
)


def extend(children):
    return st.one_of(
        children.map(Neg),
        st.tuples(st.sampled_from(["=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div",
                                   "mod"]), children, children).map(lambda t: Binary(*t)),
        st.tuples(st.sampled_from(["and", "or"]),
                  st.lists(children, min_size=2, max_size=4).map(tuple)).map(
            lambda t: Logical(*t)),
        st.tuples(children, st.text(alphabet="ab", max_size=2)).map(
            lambda t: Call("selected", (t[0], Str(t[1])))),
        st.tuples(children, children, children).map(lambda t: Call("if", t)),
        children.map(lambda c: Call("not", (c,))),
        children.map(lambda c: Call("count-selected", (c,))),
    )


trees = st.recursive(leaves, extend, max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(trees)
def test_printed_trees_parse_back_to_the_same_tree(tree):
    assert parse(to_text(tree)) == tree


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789.()'\"${}abcdn-+*=<>!, \tselectdivmodorand", max_size=60))
def test_random_text_only_ever_raises_expression_error(text):
    env = MappingEnv({"a": 1, "b": "x y", "n": None}, current=3, columns={"c": "1"})
    with contextlib.suppress(ExpressionError):
        evaluate(text, env)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_text_only_raises_expression_error(text):
    with contextlib.suppress(ExpressionError):
        evaluate(text, MappingEnv({}))


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


def literal(x: float) -> str:
    text = format_number(abs(x))
    return f"-{text}" if math.copysign(1, x) < 0 else text


@settings(max_examples=300, deadline=None)
@given(finite, finite)
def test_arithmetic_matches_python(a, b):
    env = MappingEnv({})
    la, lb = literal(a), f"({literal(b)})"
    assert evaluate(f"{la} + {lb}", env) == a + b
    assert evaluate(f"{la} - {lb}", env) == a - b
    assert evaluate(f"{la} * {lb}", env) == a * b
    if b != 0:
        assert evaluate(f"{la} div {lb}", env) == a / b
        assert evaluate(f"{la} mod {lb}", env) == math.fmod(a, b)
    assert evaluate(f"{la} < {lb}", env) == (a < b)
    assert evaluate(f"{la} = {lb}", env) == (a == b)


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=MAX_DEPTH + 1, max_value=1500),
       st.sampled_from(["({})", "-{}", "not({})", "if(1, {}, 2)", "{} + 1"]))
def test_deep_nesting_stops_with_a_clear_error(depth, shape):
    text = "1"
    for _ in range(depth):
        text = shape.format(text)
    try:
        parse(text)
    except ExpressionError as exc:
        assert "levels deep" in str(exc) or "longer than" in str(exc) or "tokens" in str(exc)
    else:
        raise AssertionError("deep expression was accepted")
