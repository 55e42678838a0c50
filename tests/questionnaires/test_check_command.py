from pathlib import Path

import pytest
from django.core.management import call_command

from questionnaires.engine.errors import message

from .helpers import YES_NO, build_xlsx

BAS = Path(__file__).resolve().parents[2] / "questionnaires/forms_data/bas_questionnaire.xlsx"


def run(path, capsys):
    try:
        call_command("check_questionnaire", str(path))
    except SystemExit as exc:
        return exc.code, capsys.readouterr().out
    return 0, capsys.readouterr().out


def test_clean_workbook_prints_a_summary_and_exits_0(capsys):
    code, out = run(BAS, capsys)
    assert code == 0
    assert "OK" in out and "questions" in out and "repeats" in out and "English (en)" in out


def test_every_error_gets_a_line_and_exit_1(tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(build_xlsx(
        [["type", "name", "label", "relevant"], ["dropdown", "a", "A?"],
         ["integer", "b", "B?", "${ghost} = 1"], ["integer", "b", "Again?"]],
        YES_NO))
    code, out = run(path, capsys)
    assert code == 1
    assert [line for line in out.splitlines() if not line.startswith(" ")] == [
        f"{path}:survey:2:type: " + message("unknown_type", value="dropdown"),
        f"{path}:survey:3:relevant: " + message("undefined_reference", value="ghost"),
        f"{path}:survey:4:name: " + message("duplicate_name", value="b", first_row=3),
    ]


@pytest.mark.parametrize("content", [None, b"plain text, not a workbook"])
def test_missing_or_non_xlsx_file_is_one_line_and_exit_1(tmp_path, capsys, content):
    path = tmp_path / "x.xlsx"
    if content is not None:
        path.write_bytes(content)
    code, out = run(path, capsys)
    assert code == 1
    assert len(out.splitlines()) == 1 and out.startswith(f"{path}:")


def test_warnings_are_listed_and_the_workbook_passes(tmp_path, capsys):
    path = tmp_path / "warned.xlsx"
    path.write_bytes(build_xlsx([["type", "name", "label", "appearance"],
                                 ["integer", "n", "How many?", "minimal"]], YES_NO))
    code, out = run(path, capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (f"{path}:survey:1:appearance: warning: "
                        + message("no_effect_column", value="appearance"))
    assert lines[1].startswith("    HINT: ")
    assert "OK" in lines[-1] and "1 warning(s)" in lines[-1]
