"""Check a questionnaire workbook: one line per problem (FILE:SHEET:ROW:COLUMN: message), each
followed by its hint, indented, when it has one.

Errors stop a workbook from being stored; warnings (``warning:`` before the message) do not.
Exit status 1 when there is any error, else 0 with the warnings and a summary.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from questionnaires.engine import check_workbook
from questionnaires.engine.errors import errors_in


class Command(BaseCommand):
    help = ("Check an XLSForm questionnaire workbook and list every error and warning with "
            "its place and a hint.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the .xlsx workbook to check (CSV files it reads "
                            "may sit beside it)")

    def handle(self, *args, **options) -> None:
        path = options["file"]
        definition, problems = check_workbook(path, path)
        for item in problems:
            self.stdout.write(item.format(path))
            if item.hint:
                self.stdout.write(f"    HINT: {item.hint}")
        if errors_in(problems) or definition is None:
            self.stdout.flush()
            sys.exit(1)
        summary = definition.summary()
        languages = ", ".join(summary["languages"]) or "none"
        warnings = f", {len(problems)} warning(s)" if problems else ""
        self.stdout.write(
            f"{path}: OK: {summary['form_id'] or '(no form_id)'} version "
            f"{summary['version'] or '-'}: {summary['questions']} questions, "
            f"{summary['groups']} groups, {summary['repeats']} repeats, "
            f"{summary['calculates']} calculates, languages: {languages}{warnings}"
        )
