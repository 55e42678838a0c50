"""manage.py rake: rake weights to population margins and write id, weight."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from analysis.core.errors import AnalysisError
from analysis.core.margins import margins_from_frame, match_margins
from analysis.core.raking import rake
from analysis.core.tables import read_csv_table, require_columns, weight_column

from .estimate import with_source, write_atomically


class Command(BaseCommand):
    help = "Rake weights to margins (CSV with variable, category, total); writes id, weight."
    requires_system_checks: list[str] = []  # reads files only: start without the web stack

    def add_arguments(self, parser):
        parser.add_argument("data", help="respondent table (CSV)")
        parser.add_argument("--weight", required=True, help="starting weight column")
        parser.add_argument("--margins", required=True, metavar="MARGINS.csv")
        parser.add_argument("--id", required=True, help="respondent id column")
        parser.add_argument("--out", required=True, help="output CSV (id, weight)")

    def handle(self, *args, **options):
        data_path = options["data"]
        try:
            frame = read_csv_table(data_path)
            margins = margins_from_frame(read_csv_table(options["margins"]),
                                         source=str(options["margins"]))
            require_columns(frame, [options["id"]], str(data_path))
            ids = frame[options["id"]]
            _check_ids(ids, options["id"], str(data_path))
            weights = weight_column(frame, options["weight"], str(data_path))
            result = rake(weights, match_margins(frame, margins, str(data_path)))
        except AnalysisError as exc:
            raise CommandError(with_source(str(exc), data_path), returncode=2)
        out = pd.DataFrame({"id": ids, "weight": result.weights})
        write_atomically(Path(options["out"]),
                         out.to_csv(index=False, float_format="%.12g"))
        self.stderr.write(f"raked {len(out)} weights in {result.iterations} iterations "
                          f"(largest relative margin error {result.max_relative_error:.2g})")


def _check_ids(ids: pd.Series, column: str, source: str) -> None:
    if ids.isna().any():
        row = int(ids.isna().to_numpy().argmax()) + 2
        raise AnalysisError(f"{source}: row {row}, column {column!r}: missing id")
    duplicated = ids.duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().argmax())
        raise AnalysisError(f"{source}: row {row + 2}, column {column!r}: id "
                            f"{ids.iloc[row]!r} appears more than once")
