"""manage.py estimate: weighted estimates with standard errors and intervals by domain."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from analysis.core.ci_methods import CI_METHODS, DEFAULT_PROPORTION_CI, PROPORTION_CI_METHODS
from analysis.core.errors import AnalysisError
from analysis.core.estimate_table import EstimateRequest, estimate_table
from analysis.core.margins import margins_from_frame
from analysis.core.statistics import SINGLE_VARIABLE, STATISTICS
from analysis.core.tables import read_csv_table


class Command(BaseCommand):
    help = ("Estimate means, proportions and totals (overall and by domain) from a respondent "
            "CSV, with design-based SEs agreeing with R survey.")
    requires_system_checks: list[str] = []  # reads files only: start without the web stack

    def add_arguments(self, parser):
        parser.add_argument("data", help="respondent table (CSV)")
        parser.add_argument("--weight", required=True, help="weight column")
        parser.add_argument("--strata", help="stratum column")
        parser.add_argument("--cluster", help="PSU (cluster) column")
        parser.add_argument("--fpc", help="population PSUs per stratum, or sampling fraction")
        parser.add_argument("--rake", metavar="MARGINS.csv",
                            help="rake to margins (variable, category, total) first")
        for name in SINGLE_VARIABLE:
            parser.add_argument(f"--{name}", nargs="+", action="extend", default=[],
                                metavar="VAR", help=STATISTICS[name].description)
        parser.add_argument("--by", action="append", default=[], metavar="VAR",
                            help="domain variable (repeat for separate blocks)")
        parser.add_argument("--subset", metavar="VAR=VALUE", help="subpopulation")
        parser.add_argument("--ci", choices=PROPORTION_CI_METHODS,
                            default=DEFAULT_PROPORTION_CI,
                            help="interval for proportions (means and totals use t): "
                            + "; ".join(f"{n}: {CI_METHODS[n].description}"
                                        for n in PROPORTION_CI_METHODS))
        parser.add_argument("--format", choices=["csv", "json", "table"], default="csv")
        parser.add_argument("--out", help="output file (default: stdout)")

    def handle(self, *args, **options):
        data_path = options["data"]
        try:
            frame = read_csv_table(data_path)
            margins = None
            if options["rake"]:
                margins = margins_from_frame(read_csv_table(options["rake"]),
                                             source=str(options["rake"]))
            request = EstimateRequest(
                weight=options["weight"], strata=options["strata"],
                cluster=options["cluster"], fpc=options["fpc"],
                variables={name: options[name] for name in SINGLE_VARIABLE}, by=options["by"],
                subset=options["subset"], ci=options["ci"])
            table = estimate_table(frame, request, margins, source=str(data_path))
        except AnalysisError as exc:
            raise CommandError(with_source(str(exc), data_path), returncode=2)
        text = render(table, options["format"])
        if options["out"]:
            write_atomically(Path(options["out"]), text)
        else:
            self.stdout.write(text, ending="")


def render(table: pd.DataFrame, fmt: str) -> str:
    if fmt == "json":
        records = [{k: _json_value(v) for k, v in row.items()}
                   for row in table.to_dict(orient="records")]
        return json.dumps(records, indent=2) + "\n"
    if fmt == "table":
        return table.to_string(index=False) + "\n"
    return table.to_csv(index=False)


def _json_value(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value.item() if hasattr(value, "item") else value


def with_source(message: str, source: object) -> str:
    return message if message.startswith(str(source)) else f"{source}: {message}"


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory, so a failure leaves no output."""
    if not path.parent.is_dir():
        raise CommandError(f"{path}: output directory does not exist", returncode=2)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
