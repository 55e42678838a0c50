"""Routing invariants on random linear forms and random interviews with changes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.engine import Definition, Item, Session, Settings, route


@st.composite
def forms(draw):
    n = draw(st.integers(min_value=2, max_value=8))
    rows, conditions = [], {}
    for i in range(n):
        condition = ""
        if i and draw(st.booleans()):
            j = draw(st.integers(min_value=0, max_value=i - 1))
            op = draw(st.sampled_from(["=", ">", "!="]))
            k = draw(st.integers(min_value=0, max_value=2))
            condition = f"${{q{j}}} {op} {k}"
            conditions[f"q{i}"] = (f"q{j}", op, k)
        rows.append(Item("integer", f"q{i}", label={"": f"Q{i}?"}, relevant=condition,
                         constraint=". >= 0 and . <= 2"))
    # built directly (the loader has its own tests) to keep the examples fast
    return Definition(Settings(), rows, {}), conditions


def holds(answers, name, conditions):
    if name not in conditions:
        return True
    ref, op, k = conditions[name]
    if ref not in answers or not holds(answers, ref, conditions):
        return op == "!="  # as XPath: an empty answer is NaN, and NaN != k is true
    value = answers[ref]
    return {"=": value == k, ">": value > k, "!=": value != k}[op]


@settings(max_examples=50, deadline=None)
@given(forms(), st.data())
def test_random_interviews_keep_only_reachable_answers(made, data):
    definition, conditions = made
    s = Session(definition)
    steps = 0
    while steps < 40:
        steps += 1
        prompt = s.current()
        if prompt is None:
            if not s.answers or not data.draw(st.booleans(), label="change something"):
                break
            path = data.draw(st.sampled_from(sorted(s.answers)), label="path to change")
            before = dict(s.answers)
            audit_before = len(s.audit)
            s.answer(data.draw(st.integers(0, 2), label="new value"), path)
            dropped = {a.path for a in s.audit[audit_before:] if a.event == "dropped"}
            assert dropped == set(before) - set(s.answers)
            continue
        s.answer(data.draw(st.integers(0, 2), label="answer"))
        # invariants after every step
        r = route(definition, s.answers)
        assert r.dropped == {}
        assert r.answers == s.answers
        for name in s.answers:
            assert holds(s.answers, name, conditions), (name, s.answers)
        assert 0.0 <= r.progress <= 1.0
    # finishing: answer until complete; the route never loops
    for _ in range(len(definition.questions()) + 1):
        if s.current() is None:
            break
        s.answer(1)
    final = route(definition, s.answers)
    assert final.complete and final.progress == 1.0
    expected = {q.name for q in definition.questions() if holds(s.answers, q.name, conditions)}
    assert set(s.answers) == expected
    assert final.path == [q.name for q in definition.questions() if q.name in expected]
