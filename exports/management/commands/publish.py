from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports.disclosure import DisclosureError, DisclosureRules
from exports.errors import PublicationError
from exports.microdata import MicrodataError
from exports.services import wave_publish
from survey.models import Wave


class Command(BaseCommand):
    help = ("Publish a weighted wave: the results workbook, open-data CSV and metadata, "
            "anonymised microdata (CSV, SPSS, Stata) and codebooks, written to --out; the "
            "wave is marked published for the public API and dashboard.")

    def add_arguments(self, parser):
        parser.add_argument("wave", help="Wave id or name.")
        parser.add_argument("--out", required=True, help="Folder to write the outputs into.")
        parser.add_argument("--threshold", type=int, default=30,
                            help="Suppress estimates on fewer respondents (default 30).")
        parser.add_argument("--decimals", type=int, default=3,
                            help="Decimal places of published proportions (default 3).")
        parser.add_argument("--base-rounding", type=int, default=1,
                            help="Round unweighted bases to a multiple of this (default 1).")
        parser.add_argument("--min-combination", type=int, default=10,
                            help="Microdata: fewest respondents in an area x sector "
                                 "combination before coarsening (default 10).")

    def handle(self, *args, **options):
        wave = self._wave(options["wave"])
        try:
            rules = DisclosureRules(options["threshold"], options["decimals"],
                                    options["base_rounding"])
            result = wave_publish(wave=wave, out=Path(options["out"]), rules=rules,
                                  min_combination=options["min_combination"])
        except (PublicationError, DisclosureError, MicrodataError) as error:
            raise CommandError(str(error), returncode=2)
        rows = result.publication.rows
        hidden = sum(r["suppressed"] for r in rows)
        self.stdout.write(f"published {wave.name}: {len(rows)} estimates ({hidden} suppressed), "
                          f"{len(result.files)} files in {result.folder.resolve()}")
        self.stdout.write(_borough_line(result.publication))
        for path in result.files:
            self.stdout.write(f"  {path.name}")

    def _wave(self, text: str) -> Wave:
        wave = Wave.objects.filter(name=text).first()
        if wave is None and text.isdigit():
            wave = Wave.objects.filter(pk=int(text)).first()
        if wave is None:
            raise CommandError(f"wave {text!r}: no wave with that id or name", returncode=2)
        return wave


def _borough_line(publication) -> str:
    """The borough figures by kind, from the borough estimates (small-area run) published."""
    if publication.small_area_id is None:
        return ("borough figures: direct estimates only (no borough estimates were made from "
                f"weighting run {publication.estimate_set.run_id})")
    kinds: dict[str, int] = {}
    for row in publication.rows:
        if row["breakdown"] == "borough":
            kind = row.get("source") or "suppressed"
            kinds[kind] = kinds.get(kind, 0) + 1
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"borough figures (borough estimates {publication.small_area_id}): {counts}"
