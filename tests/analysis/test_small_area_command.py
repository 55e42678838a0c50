"""manage.py small_area: the output contract, agreement with R sae 1.3 and every bad input."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import assert_close
from .small_area_data import BOROUGHS, EBLUP_RTOL, MILK, MSE_RTOL, domain_reference

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
COLUMNS = ["domain", "direct", "variance", "eblup", "mse", "gamma"]
BOROUGH_ARGS = ["--domain", "borough", "--estimate", "estimate", "--variance", "variance",
                "--aux", "crime_rate", "--factor", "inner"]


def run(tmp_path, source, *args) -> tuple[pd.DataFrame, str]:
    out = tmp_path / "small_area.csv"
    stdout = io.StringIO()
    call_command("small_area", str(source), *args, "--out", str(out), stdout=stdout)
    return pd.read_csv(out, dtype={"domain": str}), stdout.getvalue()


def expect_error(tmp_path, source, args, *needles) -> str:
    out = tmp_path / "never.csv"
    with pytest.raises(CommandError) as caught:
        call_command("small_area", str(source), *args, "--out", str(out))
    assert caught.value.returncode == 2
    message = str(caught.value)
    for needle in needles:
        assert needle in message, message
    assert not out.exists()
    assert not list(tmp_path.glob(".never.csv.*"))
    return message


def write(tmp_path, frame: pd.DataFrame, name="in.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("method", ["reml", "ml", "fh"])
def test_small_area_command_equals_sae_on_boroughs(tmp_path, method):
    table, stdout = run(tmp_path, BOROUGHS, *BOROUGH_ARGS, "--method", method)
    assert list(table.columns) == COLUMNS
    source = pd.read_csv(BOROUGHS)
    assert table.domain.tolist() == source.borough.tolist()
    assert_close(table.direct, source.estimate, 1e-15, "direct")
    assert_close(table.variance, source.variance, 1e-15, "variance")
    ref = domain_reference()
    ref = ref[(ref.case == "boroughs") & (ref.setting == "default") & (ref.method == method)]
    assert_close(table.eblup, ref.eblup, EBLUP_RTOL, "eblup")
    assert_close(table.mse, ref.mse, MSE_RTOL, "mse")
    assert ((table.gamma > 0) & (table.gamma < 1)).all()
    assert f"fitted by {method.upper()} on 33 domains" in stdout
    for term in ("(Intercept)", "crime_rate", "innerOuter", "model variance:", "AIC:"):
        assert term in stdout


def test_small_area_command_milk_factor(tmp_path):
    table, stdout = run(tmp_path, MILK, "--domain", "area", "--estimate", "yi", "--variance",
                        "var", "--factor", "major_area", "--method", "fh")
    ref = domain_reference()
    ref = ref[(ref.case == "milk") & (ref.setting == "default") & (ref.method == "fh")]
    assert_close(table.eblup, ref.eblup, EBLUP_RTOL, "eblup")
    assert_close(table.mse, ref.mse, MSE_RTOL, "mse")
    assert "major_area4" in stdout


def test_small_area_command_zero_model_variance_is_stated(tmp_path):
    args = [*BOROUGH_ARGS]
    args[3] = "estimate_zero"
    table, stdout = run(tmp_path, BOROUGHS, *args, "--method", "reml")
    assert (table.gamma == 0).all()
    assert "set to 0" in stdout


def test_small_area_command_domain_without_sample_is_synthetic(tmp_path):
    frame = pd.read_csv(BOROUGHS)
    frame.loc[[3, 10], ["estimate", "variance"]] = None
    table, _ = run(tmp_path, write(tmp_path, frame), *BOROUGH_ARGS, "--method", "reml")
    assert table.direct.isna().tolist() == [i in (3, 10) for i in range(33)]
    assert (table.gamma[[3, 10]] == 0).all()
    assert (table.mse[[3, 10]] > table.mse.drop([3, 10]).max()).all()
    sampled, _ = run(tmp_path, write(tmp_path, frame.drop([3, 10]), "s.csv"), *BOROUGH_ARGS,
                     "--method", "reml")
    assert_close(table.eblup.drop([3, 10]), sampled.eblup, 1e-12, "same fit without them")


def test_small_area_command_smoothing_and_benchmark(tmp_path):
    table, stdout = run(tmp_path, BOROUGHS, *BOROUGH_ARGS, "--method", "reml",
                        "--smooth-variance", "--size", "n", "--benchmark", "businesses",
                        "--benchmark-total", "300000")
    assert list(table.columns) == [*COLUMNS, "direct_variance", "eblup_benchmarked"]
    assert "GVF" in stdout and "ratio-benchmarked" in stdout
    source = pd.read_csv(BOROUGHS)
    assert_close(table.direct_variance, source.variance, 1e-15, "direct variance kept")
    assert (table.variance != source.variance).any()
    assert_close((table.eblup_benchmarked * source.businesses).sum(), 300000, 1e-12, "total")


def test_small_area_command_subprocess_exit_code_2(tmp_path):
    out = tmp_path / "out.csv"
    completed = subprocess.run(
        [sys.executable, str(MANAGE), "small_area", str(BOROUGHS), "--domain", "borough",
         "--estimate", "estimate", "--variance", "no_such_column", "--method", "reml",
         "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2, completed.stderr
    assert str(BOROUGHS) in completed.stderr and "no_such_column" in completed.stderr
    assert not out.exists()


def test_small_area_command_subprocess_good_path(tmp_path):
    out = tmp_path / "out.csv"
    completed = subprocess.run(
        [sys.executable, str(MANAGE), "small_area", str(BOROUGHS), *BOROUGH_ARGS,
         "--method", "ml", "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert "model variance:" in completed.stdout
    assert len(pd.read_csv(out)) == 33


def _boroughs() -> pd.DataFrame:
    return pd.read_csv(BOROUGHS)


def test_small_area_error_missing_column(tmp_path):
    expect_error(tmp_path, BOROUGHS, [*BOROUGH_ARGS, "--aux", "density", "--method", "reml"],
                 str(BOROUGHS), "missing column 'density'")


@pytest.mark.parametrize("value", [0, -0.001])
def test_small_area_error_non_positive_variance(tmp_path, value):
    frame = _boroughs()
    frame.loc[4, "variance"] = value
    path = write(tmp_path, frame)
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "reml"], str(path), "row 6",
                 "column 'variance'", "must be > 0")


def test_small_area_error_variance_not_a_number(tmp_path):
    frame = _boroughs().astype({"variance": object})
    frame.loc[0, "variance"] = "n/a"
    path = write(tmp_path, frame)
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "ml"], str(path), "row 2",
                 "column 'variance'", "not a number")


def test_small_area_error_estimate_without_variance(tmp_path):
    frame = _boroughs()
    frame.loc[7, "variance"] = None
    path = write(tmp_path, frame)
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "fh"], str(path), "row 9",
                 "column 'variance'", "blank")


@pytest.mark.parametrize("column", ["crime_rate", "inner"])
def test_small_area_error_auxiliary_missing(tmp_path, column):
    frame = _boroughs()
    frame.loc[12, column] = None
    path = write(tmp_path, frame)
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "reml"], str(path), "row 14",
                 f"column {column!r}", "missing")


def test_small_area_error_fewer_domains_than_parameters(tmp_path):
    path = write(tmp_path, _boroughs().head(3))
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "reml"], str(path),
                 "fewer domains than parameters", "3 domains with a sample for 4 parameters")


def test_small_area_error_not_converged(tmp_path):
    expect_error(tmp_path, BOROUGHS, [*BOROUGH_ARGS, "--method", "reml", "--maxiter", "2"],
                 str(BOROUGHS), "did not converge in 2 iterations")


def test_small_area_error_collinear_auxiliary(tmp_path):
    frame = _boroughs()
    frame["crime_twice"] = 2 * frame.crime_rate
    path = write(tmp_path, frame)
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--aux", "crime_twice", "--method", "reml"],
                 str(path), "'crime_twice'", "linear combination")


def test_small_area_error_factor_level_without_sample(tmp_path):
    frame = _boroughs()
    frame.loc[frame.inner == "Outer", ["estimate", "variance"]] = None
    path = write(tmp_path, frame)
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "reml"], str(path),
                 "'innerOuter'", "zero in every domain with a sample")


def test_small_area_error_repeated_domain(tmp_path):
    frame = _boroughs()
    frame.loc[5, "borough"] = frame.loc[2, "borough"]
    path = write(tmp_path, frame)
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "reml"], str(path), "row 7",
                 "column 'borough'", "repeats row 4")


def test_small_area_error_unreadable_file(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"borough,estimate\n\xff\xfe\x00bad\n")
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "reml"], str(path),
                 "cannot read as CSV")


def test_small_area_error_file_not_found(tmp_path):
    path = tmp_path / "absent.csv"
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "reml"], str(path),
                 "file not found")


def test_small_area_error_ragged_row(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(BOROUGHS.read_text().replace("\n", ",extra\n", 3))  # header, rows 2-3
    expect_error(tmp_path, path, [*BOROUGH_ARGS, "--method", "reml"], str(path),
                 "row 4 has 8 fields; the header has 9")


def test_small_area_error_output_directory_missing(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("small_area", str(BOROUGHS), *BOROUGH_ARGS, "--method", "reml",
                     "--out", str(tmp_path / "no" / "out.csv"))
    assert caught.value.returncode == 2


def test_small_area_error_smoothing_needs_size(tmp_path):
    expect_error(tmp_path, BOROUGHS, [*BOROUGH_ARGS, "--method", "reml", "--smooth-variance"],
                 "--size")


def test_small_area_error_benchmark_needs_total(tmp_path):
    expect_error(tmp_path, BOROUGHS, [*BOROUGH_ARGS, "--method", "reml", "--benchmark",
                                      "businesses"], "--benchmark-total")


def test_small_area_command_imports_no_web_stack():
    code = ("import sys; import analysis.management.commands.small_area as c; "
            "assert c.Command.requires_system_checks == []; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('rest_framework', 'drf_spectacular', 'whitenoise') "
            "or m.startswith(('django.http', 'django.contrib', 'django.urls', "
            "'django.template', 'django.views'))]; "
            "assert not bad, bad")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=120, cwd=MANAGE.parent)
    assert completed.returncode == 0, completed.stderr


def test_small_area_command_refuses_an_output_folder_that_does_not_exist(tmp_path):
    out = tmp_path / "missing" / "out.csv"
    with pytest.raises(CommandError) as caught:
        call_command("small_area", str(BOROUGHS), *BOROUGH_ARGS, "--method", "reml",
                     "--out", str(out))
    assert caught.value.returncode == 2
    assert "output directory does not exist" in str(caught.value)
    assert not out.parent.exists()
