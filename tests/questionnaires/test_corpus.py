"""Public XLSForms nobody here wrote (see data/README.md): each is read, or refused for the
reason stated here. Every form read is also walked by a few simulated interviews."""

import random
from pathlib import Path

import pytest

from questionnaires.engine import check_workbook
from questionnaires.engine.errors import errors_in
from questionnaires.engine.simulate import simulate

DATA = Path(__file__).parent / "data"

# form -> the error codes that refuse it, and why (an empty set: the form is read)
REFUSED: dict[str, tuple[set[str], str]] = {
    "odk_xlsform_offline/pyxform-error.xlsx": (
        {"unknown_type"}, "type 'textX' (pyxform refuses it too)"),
    "odk_xlsform_offline/validate-error.xlsx": (
        {"invalid_expression"}, "concatx() is no function (ODK Validate refuses it too)"),
    "opengis_xlsform2qgis/service_rating.xlsx": (
        {"device_only_type", "unknown_type"}, "geopoint; type 'country' (pyxform refuses it)"),
    "pyxform/bug_example--UCL_Biomass_Plot_Form.xlsx": (
        {"device_only_type", "invalid_expression", "invalid_flag", "missing_file"},
        "geopoint and image; curly quotes in expressions; a regex that can backtrack without "
        "end; its CSV files are not shipped"),
    "pyxform/bug_example--bad_calc.xlsx": ({"invalid_expression"}, "an unterminated string"),
    "pyxform/example--bad_calc.xlsx": ({"invalid_expression"}, "an unterminated string"),
    "pyxform/bug_example--duplicate_columns.xlsx": (
        {"duplicate_column", "bare_name", "device_only_type"},
        "two 'label' columns (pyxform refuses it too); 'false' without (); device types"),
    "pyxform/example--attribute_columns_test.xlsx": ({"device_only_type"}, "geopoint, image"),
    "pyxform/example--flat_xlsform_test.xlsx": ({"device_only_type"}, "geopoint, image"),
    "pyxform/example--xlsform_spec_test.xlsx": ({"device_only_type"}, "geopoint, image"),
    "pyxform/example--case_insensitivity.xlsx": ({"device_only_type"}, "an osm question"),
    "pyxform/example--include.xlsx": ({"unknown_type"}, "'include' (pyxform refuses it too)"),
    "pyxform/example--include_json.xlsx": ({"unknown_type"}, "'include' (pyxform refuses it)"),
    "pyxform/example--or_other.xlsx": (
        {"unknown_choice_column"}, "choice_filter pastel=yes compares with a column 'yes' "
        "that does not exist (so ODK shows no choice): 'yes' needs quotes"),
}
FORMS = sorted(str(p.relative_to(DATA)) for p in DATA.glob("*/*.xlsx"))


def test_the_corpus_is_there_with_its_licences():
    assert len(FORMS) >= 30
    for folder in {Path(f).parent for f in FORMS}:
        assert (DATA / folder / "LICENSE").is_file(), folder
    assert set(REFUSED) <= set(FORMS)


@pytest.mark.parametrize("name", FORMS)
def test_each_public_form_is_read_or_refused_for_its_stated_reason(name):
    definition, problems = check_workbook(DATA / name, name)
    errors = {p.code for p in errors_in(problems)}
    expected, _reason = REFUSED.get(name, (set(), ""))
    assert errors == expected, [p.format(name) for p in errors_in(problems)][:5]
    if not expected:
        report = simulate(definition, 3, random.Random(1))
        assert report.interviews == 3 and len(report.route_lengths) == 3


def test_device_only_is_the_only_reason_beyond_what_pyxform_or_odk_refuse():
    reasons = {code for codes, _ in REFUSED.values() for code in codes}
    assert reasons <= {"device_only_type", "unknown_type", "invalid_expression",
                       "duplicate_column", "bare_name", "invalid_flag", "missing_file",
                       "unknown_choice_column"}
