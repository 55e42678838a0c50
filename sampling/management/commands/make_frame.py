"""python manage.py make_frame --size 500000 --seed 1 --out FRAME.csv"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sampling.core import make_synthetic_frame

BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Write a seeded synthetic London business frame in the import format (reference, name, "
        "address, postcode, phone, borough, sic2007, employees). Names are invented; phone "
        "numbers come from Ofcom's drama ranges (020 7946 0xxx, 07700 900xxx). Same size and "
        "seed, same frame. Output .csv (or .xlsx, slow for large frames)."
    )
    requires_system_checks: list[str] = []  # reads files only: start without the web stack

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=500_000,
                            help="number of businesses (default 500000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--out", required=True, help="output file, .csv or .xlsx")
        parser.add_argument("--borough-names", action="store_true",
                            help="write boroughs as names instead of GSS codes")

    def handle(self, *args: object, **options: object) -> None:
        size = int(options["size"])
        out = Path(str(options["out"]))
        if size < 1:
            raise CommandError("--size must be at least 1", returncode=BAD_INPUT)
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(f"--out must end in .csv or .xlsx, got '{out.name}'",
                               returncode=BAD_INPUT)
        frame = make_synthetic_frame(size, int(options["seed"]),
                                     borough_names=bool(options["borough_names"]))
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.",
                                             suffix=out.suffix)
        os.close(handle)
        try:
            if out.suffix.lower() == ".xlsx":
                frame.to_excel(temporary, index=False, sheet_name="frame")
            else:
                frame.to_csv(temporary, index=False)
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(f"wrote {len(frame)} synthetic businesses to {out}")
