import subprocess
import sys
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sampling.core import make_synthetic_frame
from tests.sampling.conftest import write_csv

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_COLUMNS = ["reference", "borough", "sector", "size_band", "stratum",
                  "inclusion_probability", "design_weight", "replicate"]


@pytest.fixture(scope="module")
def frame_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("frames") / "FRAME.csv"
    call_command("make_frame", size=6000, seed=1, out=str(path), stdout=StringIO())
    return path


def _draw(*args, **options):
    out = StringIO()
    call_command("draw_sample", *args, stdout=out, **options)
    return out.getvalue()


def test_make_frame_writes_the_import_format_reproducibly(frame_csv, tmp_path):
    frame = pd.read_csv(frame_csv, dtype=str)
    assert list(frame.columns) == ["reference", "name", "address", "postcode", "phone",
                                   "borough", "sic2007", "employees"]
    assert len(frame) == 6000
    again = tmp_path / "again.csv"
    call_command("make_frame", size=6000, seed=1, out=str(again), stdout=StringIO())
    assert again.read_bytes() == frame_csv.read_bytes()


def test_draw_sample_happy_path(frame_csv, tmp_path):
    out = tmp_path / "SAMPLE.csv"
    printed = _draw(str(frame_csv), n=1000, allocation="compromise", min_per_borough=20,
                    seed=7, replicates=10, out=str(out))
    sample = pd.read_csv(out)
    assert list(sample.columns) == SAMPLE_COLUMNS
    assert len(sample) == 1000 and sample["reference"].is_unique
    assert sample["design_weight"].sum() == pytest.approx(6000)
    assert set(sample["replicate"]) == set(range(1, 11))
    assert (sample.groupby("borough").size() >= 20).all()
    assert "population" in printed and "allocated" in printed and "selected" in printed
    assert "TOTAL" in printed and "1000" in printed
    again = tmp_path / "AGAIN.csv"
    _draw(str(frame_csv), n=1000, allocation="compromise", min_per_borough=20, seed=7,
          replicates=10, out=str(again))
    assert again.read_bytes() == out.read_bytes()


def test_frames_with_borough_names_and_xlsx_are_accepted(tmp_path):
    frame = make_synthetic_frame(400, 9, borough_names=True)
    frame.to_csv(tmp_path / "names.csv", index=False)
    frame.to_excel(tmp_path / "frame.xlsx", index=False, sheet_name="frame")
    for name in ("names.csv", "frame.xlsx"):
        out = tmp_path / f"{name}.sample.csv"
        _draw(str(tmp_path / name), n=100, allocation="neyman", anticipated_proportion=0.2,
              dimensions="borough", seed=1, out=str(out))
        sample = pd.read_csv(out)
        assert len(sample) == 100
        assert sample["borough"].str.startswith("E09").all()
        assert sample["design_weight"].sum() == pytest.approx(400)


@pytest.mark.parametrize(("options", "message"), [
    ({"n": 7000}, "larger than the 6000"),
    ({"n": 10}, "too small"),
    ({"n": 0}, "--n must be at least 1"),
    ({"n": 500, "anticipated_proportion": 1.0}, "anticipated-proportion"),
    ({"n": 500, "dimensions": "borough,colour"}, "dimensions"),
    ({"n": 500, "allocation": "compromise", "min_per_borough": 100}, "per group"),
    ({"n": 500, "prn_shift": 1.5}, "prn-shift"),
])
def test_bad_options_exit_2_without_output(frame_csv, tmp_path, options, message):
    out = tmp_path / "SAMPLE.csv"
    with pytest.raises(CommandError, match=message) as caught:
        _draw(str(frame_csv), seed=1, out=str(out), **options)
    assert caught.value.returncode == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_frame_lists_problems_exit_2_without_output(tmp_path):
    frame = write_csv(tmp_path / "bad.csv", [
        "R1,Name,addr,SW1A 1AA,020 7946 0001,Gotham,62012,5",
        "R1,Name,addr,SW1A 1AB,020 7946 0002,Camden,62012,x",
    ])
    out = tmp_path / "SAMPLE.csv"
    errors = tmp_path / "errors.csv"
    with pytest.raises(CommandError) as caught:
        _draw(str(frame), n=1, out=str(out), errors_csv=str(errors))
    assert caught.value.returncode == 2
    assert "bad.csv, row 2, borough='Gotham'" in str(caught.value)
    assert "bad.csv, row 3, employees='x'" in str(caught.value)
    assert not out.exists()
    assert pd.read_csv(errors)["row"].tolist() == [2, 3, 3]
    with pytest.raises(CommandError, match="not found") as missing:
        _draw(str(tmp_path / "nope.csv"), n=1, out=str(out))
    assert missing.value.returncode == 2


def test_real_exit_code_is_2_and_no_file(tmp_path):
    frame = write_csv(tmp_path / "bad.csv", ["R1,Name,addr,SW1A 1AA,020 7946 0001,Gotham,62012,5"])
    out = tmp_path / "SAMPLE.csv"
    for extra, said in ((["--allocation", "proportional"], "Gotham"),
                        (["--allocation", "random"], "invalid choice")):
        run = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "draw_sample", str(frame), "--n", "1",
             "--seed", "7", "--out", str(out), *extra],
            capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert run.returncode == 2, run.stderr
        assert said in run.stderr
        assert not out.exists()
