"""Property tests: any way of writing a known column reads as that column; any header or type
text is read or reported, never a crash."""

from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.engine import check_workbook
from questionnaires.engine.columns import survey_column
from questionnaires.engine.types import parse_type

from .helpers import YES_NO, build_xlsx

SPELLINGS = {
    "relevant": ["relevant", "relevance", "bind::relevant", "bind:relevant"],
    "constraint_message": ["constraint_message", "constraint message", "jr:constraintMsg",
                           "bind::jr:constraintMsg", "bind:jr:constraintMsg"],
    "read_only": ["read_only", "readonly", "bind::readonly"],
    "calculation": ["calculation", "calculate", "bind::calculate"],
    "required_message": ["required_message", "jr:requiredMsg", "bind::jr:requiredMsg"],
    "repeat_count": ["repeat_count", "jr:count", "control::jr:count", "count"],
}


def _case(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flips + [False] * 99,
                                                                  strict=False))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(SPELLINGS)), st.data())
def test_any_spelling_in_any_case_reads_as_its_column(key, data):
    written = data.draw(st.sampled_from(SPELLINGS[key]))
    flips = data.draw(st.lists(st.booleans(), max_size=40))
    column = survey_column(f"  {_case(written, flips)} ")
    assert (column.key, column.kind) == (key, "understood")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_any_type_text_is_parsed_or_given_a_problem(text):
    parsed = parse_type(text)
    assert parsed.kind or parsed.problem


HEADERS = st.one_of(st.sampled_from([h for hs in SPELLINGS.values() for h in hs]
                                    + ["label", "Label::English", "hint", "appearance",
                                       "media::image", "trigger", "notes", ""]),
                    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=15))


@settings(max_examples=60, deadline=None)
@given(st.lists(HEADERS, max_size=6))
def test_any_headers_are_read_or_reported(extra):
    header = ["type", "name", "label", *extra]
    row = ["integer", "n", "N?", *["x"] * len(extra)]
    definition, problems = check_workbook(build_xlsx([header, row], YES_NO), "h.xlsx")
    for problem in problems:
        assert problem.level in ("error", "warning") and problem.sheet and problem.message
    keys = [survey_column(h).key for h in header if h.strip()]
    if len([k for k in keys if k]) != len({k for k in keys if k}):
        assert any(p.code == "duplicate_column" for p in problems)
