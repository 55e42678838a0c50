"""The file-only commands (estimate, rake, make_frame, draw_sample) start without the web
stack: no apps loaded, no system checks, no URL confs, DRF, drf-spectacular or scipy.stats;
and their choices come from the registries."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.core import PROPORTION_CI_METHODS, STATISTICS
from analysis.management.commands.estimate import Command as EstimateCommand

from .conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
WEB_STACK = ("rest_framework", "drf_spectacular", "django.urls", "django.contrib.admin",
             "django.template", "scipy.stats", "accounts", "survey", "exports")
PROBE = """
import json, sys
sys.path.insert(0, {root!r})
sys.argv = {argv!r}
import manage
try:
    manage.main()
except SystemExit as exit:
    assert not exit.code, exit.code
from django.apps import apps
loaded = sorted({{m.split(".")[0] if not m.startswith("django.") else ".".join(m.split(".")[:2])
                 for m in sys.modules}})
print(json.dumps({{"apps_ready": apps.ready, "modules": loaded + sorted(sys.modules)}}))
"""


def run_probe(argv: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE.format(root=str(ROOT), argv=argv)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_light(probe: dict) -> None:
    assert probe["apps_ready"] is False  # no models, admin or URL confs were loaded
    modules = set(probe["modules"])
    for name in WEB_STACK:
        assert not any(m == name or m.startswith(name + ".") for m in modules), name


def test_estimate_and_rake_start_light(tmp_path):
    sample, margins = DATA / "synthetic_sample.csv", DATA / "synthetic_margins.csv"
    assert_light(run_probe(["manage.py", "estimate", str(sample), "--weight", "weight",
                            "--strata", "stratum", "--rake", str(margins), "--proportion",
                            "b2", "--by", "region", "--out", str(tmp_path / "e.csv")]))
    assert (tmp_path / "e.csv").read_text().startswith("variable,by,domain")
    assert_light(run_probe(["manage.py", "rake", str(sample), "--weight", "weight",
                            "--margins", str(margins), "--id", "id",
                            "--out", str(tmp_path / "w.csv")]))


def test_sampling_commands_start_light(tmp_path):
    frame = tmp_path / "frame.csv"
    assert_light(run_probe(["manage.py", "make_frame", "--size", "3000", "--seed", "1",
                            "--out", str(frame)]))
    assert_light(run_probe(["manage.py", "draw_sample", str(frame), "--n", "200",
                            "--seed", "7", "--out", str(tmp_path / "sample.csv")]))


@pytest.mark.parametrize("command", ["estimate", "rake", "make_frame", "draw_sample"])
def test_no_system_checks(command):
    from django.core.management import load_command_class

    app = "analysis" if command in ("estimate", "rake") else "sampling"
    assert load_command_class(app, command).requires_system_checks == []


def test_estimate_choices_come_from_the_registries():
    parser = EstimateCommand().create_parser("manage.py", "estimate")
    actions = {a.dest: a for a in parser._actions}
    assert tuple(actions["ci"].choices) == PROPORTION_CI_METHODS
    single = [name for name, s in STATISTICS.items() if not s.needs_denominator]
    assert all(name in actions for name in single)
