"""python manage.py draw_sample FRAME.csv --n 1600 --allocation compromise --seed 7 --out S.csv"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bas.errors import BasError
from sampling.core import (
    ALLOCATIONS,
    SAMPLE_COLUMNS,
    FrameError,
    SampleDesign,
    SamplingError,
    StrataSpec,
    draw_sample,
    load_frame,
)
from sampling.core.design import DEFAULT_MIN_PER_BOROUGH
from sampling.core.strata import DIMENSIONS
from sampling.downloads import formula_safe

BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Draw a stratified sample (borough x sector group x size band) from a business frame "
        "(.csv or .xlsx with columns reference, name, address, postcode, phone, borough, "
        "sic2007, employees; borough as GSS code or name) by permanent random numbers. Writes "
        "one row per selected business (reference, borough, sector, size_band, stratum, "
        "inclusion_probability, design_weight, replicate) and prints the allocation per "
        "stratum. Bad input: message on stderr, exit code 2, no output file."
    )
    requires_system_checks: list[str] = []  # reads files only: start without the web stack

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frame", help="frame file, .csv or .xlsx")
        parser.add_argument("--n", type=int, required=True, help="sample size, e.g. 1600")
        parser.add_argument("--allocation", choices=ALLOCATIONS, default="proportional",
                            help="proportional (N_h), neyman (N_h*sqrt(p(1-p))) or compromise "
                                 "(minimum per borough, large businesses oversampled, rest "
                                 "proportional); default proportional")
        parser.add_argument("--min-per-borough", type=int, default=None,
                            help=f"at least this many per borough (default "
                                 f"{DEFAULT_MIN_PER_BOROUGH} for compromise, none otherwise)")
        parser.add_argument("--seed", type=int, default=0,
                            help="seed of the permanent random numbers and of the replicate "
                                 "split; keep it across waves to coordinate them (default 0)")
        parser.add_argument("--replicates", type=int, default=1,
                            help="split the sample into this many reserve replicates "
                                 "(default 1)")
        parser.add_argument("--out", required=True, help="output CSV file")
        parser.add_argument("--anticipated-proportion", type=float, default=0.5,
                            help="neyman: anticipated proportion p, 0 < p < 1 (default 0.5)")
        parser.add_argument("--large-business-factor", type=float, default=3.0,
                            help="compromise: weight of a 250+ employee business relative to "
                                 "a small one (default 3)")
        parser.add_argument("--medium-business-factor", type=float, default=1.5,
                            help="compromise: weight of a 50-249 employee business (default "
                                 "1.5)")
        parser.add_argument("--dimensions", default=",".join(DIMENSIONS),
                            help="comma-separated strata dimensions among "
                                 f"{', '.join(DIMENSIONS)} (default all three)")
        parser.add_argument("--min-stratum-size", type=int, default=20,
                            help="strata with fewer businesses are collapsed into a neighbour "
                                 "(default 20)")
        parser.add_argument("--min-per-stratum", type=int, default=None,
                            help="units per stratum at least (default 2 where the population "
                                 "allows it if n permits, else 1)")
        parser.add_argument("--prn-shift", type=float, default=0.0,
                            help="wave rotation: select the smallest (PRN + shift) mod 1, "
                                 "0 <= shift < 1 (default 0)")
        parser.add_argument("--exclude", action="append", default=[], metavar="FILE",
                            help="references to avoid (e.g. interviewed in the last k waves): "
                                 "a CSV with a 'reference' column or one per line; repeatable")
        parser.add_argument("--panel", action="append", default=[], metavar="FILE",
                            help="references to keep in the sample first (panel part); same "
                                 "format as --exclude")
        parser.add_argument("--errors-csv", default=None, metavar="FILE",
                            help="write every frame problem found to this CSV")

    def handle(self, *args: object, **options: object) -> None:
        out = Path(str(options["out"]))
        design = self._design(options)
        frame = self._frame(Path(str(options["frame"])), options.get("errors_csv"))
        try:
            result = draw_sample(frame, design)
        except SamplingError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT)
        _write_atomically(result.sample[list(SAMPLE_COLUMNS)], out)
        self._print_report(result, out, int(options["verbosity"]))

    def _design(self, options: dict) -> SampleDesign:
        problems = []
        if options["n"] < 1:
            problems.append("--n must be at least 1")
        if options["replicates"] < 1:
            problems.append("--replicates must be at least 1")
        if not 0 < options["anticipated_proportion"] < 1:
            problems.append("--anticipated-proportion must be strictly between 0 and 1")
        for name in ("large_business_factor", "medium_business_factor"):
            if options[name] <= 0:
                problems.append(f"--{name.replace('_', '-')} must be positive")
        if not 0 <= options["prn_shift"] < 1:
            problems.append("--prn-shift must be in [0, 1)")
        if options["min_per_borough"] is not None and options["min_per_borough"] < 0:
            problems.append("--min-per-borough must be 0 or more")
        if problems:
            raise CommandError("; ".join(problems), returncode=BAD_INPUT)
        try:
            strata = StrataSpec(
                dimensions=tuple(d.strip() for d in options["dimensions"].split(",") if d),
                min_stratum_size=options["min_stratum_size"])
            return SampleDesign(
                n=options["n"], allocation=options["allocation"], strata=strata,
                seed=options["seed"], min_per_stratum=options["min_per_stratum"],
                min_per_borough=options["min_per_borough"],
                anticipated_proportion=options["anticipated_proportion"],
                size_band_factors={"50-249": options["medium_business_factor"],
                                   "250+": options["large_business_factor"]},
                prn_shift=options["prn_shift"], replicates=options["replicates"],
                exclude=_references(options["exclude"]), panel=_references(options["panel"]))
        except SamplingError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT)

    def _frame(self, path: Path, errors_csv: object) -> pd.DataFrame:
        if not path.is_file():
            raise CommandError(f"frame file not found: {path}", returncode=BAD_INPUT)
        try:
            return load_frame(path)
        except FrameError as exc:
            if errors_csv:
                rows = [issue.as_dict() for issue in exc.issues]
                formula_safe(pd.DataFrame(rows)).to_csv(str(errors_csv), index=False)
            raise CommandError(str(exc), returncode=BAD_INPUT)
        except BasError as exc:  # over an upload limit (bas.upload_limits)
            raise CommandError(str(exc), returncode=BAD_INPUT)

    def _print_report(self, result: object, out: Path, verbosity: int) -> None:
        table = result.allocation[["stratum", "population", "allocated", "selected"]]
        total = pd.DataFrame([{"stratum": "TOTAL", "population": table["population"].sum(),
                               "allocated": table["allocated"].sum(),
                               "selected": table["selected"].sum()}])
        self.stdout.write(pd.concat([table, total], ignore_index=True).to_string(index=False))
        merges = result.strata.report()
        self.stdout.write(f"{len(result.strata.names)} strata; {len(result.strata.merges)} "
                          "collapse step(s) for tiny strata")
        if verbosity > 1:
            for line in merges:
                self.stdout.write(f"  {line}")
        self.stdout.write(f"wrote {len(result.sample)} businesses to {out}")


def _references(paths: list[str]) -> frozenset[str]:
    references: set[str] = set()
    for name in paths:
        path = Path(name)
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.reader(handle))
        except OSError as exc:
            raise CommandError(f"cannot read references file {path}: {exc}",
                               returncode=BAD_INPUT)
        header = [cell.strip().lower() for cell in rows[0]] if rows else []
        column = header.index("reference") if "reference" in header else 0
        body = rows[1:] if "reference" in header else rows
        references.update(row[column].strip() for row in body if row and row[column].strip())
    return frozenset(references)


def _write_atomically(table: pd.DataFrame, out: Path) -> None:
    """Write to a temporary file beside `out`, then rename: no partial output on failure."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(handle)
    try:
        formula_safe(table).to_csv(temporary, index=False)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
