"""Walk random interviews through a questionnaire before fieldwork and report what they find.

    manage.py simulate_questionnaire FILE.xlsx --interviews 1000 --seed 1 \
        [--dont-know-rate 0.05] [--refused-rate 0.02] [--seconds-per-question 20] [--out T.csv]

Exit status 1 when the workbook has errors (listed as check_questionnaire lists them), 2 on
bad options; else 0 with the report.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionnaires.engine import check_workbook, respondent_table
from questionnaires.engine.errors import errors_in
from questionnaires.engine.simulate import simulate


def _rate(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = ("Simulate random interviews through a questionnaire: questions never reached, "
            "constraints that refuse every value, failing calculates, interview length.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--interviews", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--dont-know-rate", type=_rate, default=0.05)
        parser.add_argument("--refused-rate", type=_rate, default=0.02)
        parser.add_argument("--seconds-per-question", type=float, default=20.0)
        parser.add_argument("--out", help="write the simulated respondent table (.csv)")

    def handle(self, *args, **options) -> None:
        path = options["file"]
        if options["interviews"] < 1:
            raise CommandError("--interviews must be at least 1")
        definition, problems = check_workbook(path, path)
        if errors_in(problems) or definition is None:
            for item in problems:
                self.stdout.write(item.format(path))
            self.stdout.flush()
            sys.exit(1)
        report = simulate(definition, options["interviews"], random.Random(options["seed"]),
                          dont_know_rate=options["dont_know_rate"],
                          refused_rate=options["refused_rate"])
        write = self.stdout.write
        write(f"{path}: {report.interviews} simulated interviews, {report.completed} completed")
        write("questions never reached: " + (", ".join(report.never_reached) or "none"))
        write("constraints that refused every value tried: "
              + (", ".join(report.always_rejected) or "none"))
        failed = ", ".join(f"{k} ({v})" for k, v in report.failed_calculates.items())
        write("calculates that failed (interviews): " + (failed or "none"))
        summary = report.length_summary(options["seconds_per_question"])
        write("questions answered per interview: " + ", ".join(
            f"{k} {v}" for k, v in summary.items() if k != "expected_minutes"))
        write(f"expected interview length at {options['seconds_per_question']:g} s a question: "
              f"{summary['expected_minutes']} minutes")
        for low, high, count in report.histogram():
            write(f"  {low:>4}-{high:<4} {'#' * round(40 * count / report.interviews)} {count}")
        if options["out"]:
            table = respondent_table(definition, report.answers, stored=report.values)
            table.to_csv(Path(options["out"]))
            write(f"respondent table: {options['out']} ({len(table)} rows, "
                  f"{len(table.columns)} columns)")
