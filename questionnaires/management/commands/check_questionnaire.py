"""Check a questionnaire workbook: one line per problem (FILE:SHEET:ROW:COLUMN: message).

Exit status 1 when there is any problem, else 0 with a summary.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from questionnaires.engine import check_workbook


class Command(BaseCommand):
    help = "Check an XLSForm questionnaire workbook and list every error with its place."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the .xlsx workbook to check")

    def handle(self, *args, **options) -> None:
        path = options["file"]
        definition, problems = check_workbook(path, path)
        if problems or definition is None:
            for item in problems:
                self.stdout.write(item.format(path))
            self.stdout.flush()
            sys.exit(1)
        summary = definition.summary()
        languages = ", ".join(summary["languages"]) or "none"
        self.stdout.write(
            f"{path}: OK: {summary['form_id'] or '(no form_id)'} version "
            f"{summary['version'] or '-'}: {summary['questions']} questions, "
            f"{summary['groups']} groups, {summary['repeats']} repeats, "
            f"{summary['calculates']} calculates, languages: {languages}"
        )
