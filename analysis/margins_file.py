"""An uploaded population margins file (CSV with columns variable, category, total), read
into {variable: {category: total}} in the case table's own categories (pure, no Django).

Boroughs may be given by GSS code or by name; sector groups by identifier or by name; every
problem is reported with its row and column, in the analyst's words."""

from __future__ import annotations

import csv
import io

from analysis import core
from analysis.weighting import RAKE_CHOICES
from bas.upload_limits import MARGINS_LIMITS, check_csv_content
from sampling.data.boroughs import BOROUGH_ALIASES, BOROUGHS
from sampling.data.sectors import SECTOR_GROUP_LABELS, SIZE_BANDS

MAX_BYTES = 1_000_000


def _lookup(names: dict[str, str]) -> dict[str, str]:
    return {key.casefold(): code for code, name in names.items() for key in (code, name)}


CATEGORIES: dict[str, dict[str, str]] = {
    "borough": {**_lookup(BOROUGHS),
                **{alias.casefold(): code for alias, code in BOROUGH_ALIASES.items()}},
    "sector_group": _lookup(SECTOR_GROUP_LABELS),
    "size_band": {band.casefold(): band for band in SIZE_BANDS},
}
VARIABLE_NAMES = {**{v: v for v in RAKE_CHOICES},
                  **{label.casefold(): v for v, label in RAKE_CHOICES.items()}}


def read_margins_csv(content: bytes, name: str) -> dict[str, dict[str, float]]:
    """The file's totals by variable and category; a MarginsFileError naming the row and
    column otherwise. Every variable's totals must add up to the same population."""
    text = _text(content, name)
    reader = csv.reader(io.StringIO(text))
    rows = [row for row in reader]
    if not rows or [c.strip().casefold() for c in rows[0][:3]] != ["variable", "category",
                                                                    "total"]:
        raise MarginsFileError(f"{name}: the first row must be the column names variable, "
                               "category, total.")
    population: dict[str, dict[str, float]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [*row, "", "", ""][:3]
        raw_variable, raw_category, raw_total = (c.strip() for c in cells)
        variable = VARIABLE_NAMES.get(raw_variable.casefold().replace("_", " "),
                                      VARIABLE_NAMES.get(raw_variable.casefold()))
        if variable is None:
            raise MarginsFileError(f"{name}: row {line}, column variable: '{raw_variable}' is "
                                   "not a margin the system can rake on (borough, "
                                   "sector_group or size_band).")
        category = CATEGORIES[variable].get(raw_category.casefold())
        if category is None:
            raise MarginsFileError(f"{name}: row {line}, column category: '{raw_category}' is "
                                   f"not a {RAKE_CHOICES[variable]} the frame knows.")
        try:
            total = float(raw_total.replace(",", ""))
        except ValueError:
            total = float("nan")
        if not total >= 0 or total == float("inf"):
            raise MarginsFileError(f"{name}: row {line}, column total: '{raw_total}' is not a "
                                   "number of businesses (0 or more).")
        if category in population.setdefault(variable, {}):
            raise MarginsFileError(f"{name}: row {line}: {RAKE_CHOICES[variable]} "
                                   f"'{raw_category}' is given twice.")
        population[variable][category] = total
    if not population:
        raise MarginsFileError(f"{name}: the file has no totals.")
    sums = {v: sum(totals.values()) for v, totals in population.items()}
    first, first_sum = next(iter(sums.items()))
    for variable, total in sums.items():
        if abs(total - first_sum) > 1e-6 * max(first_sum, 1.0):
            raise MarginsFileError(
                f"{name}: the totals by {RAKE_CHOICES[first]} add up to {first_sum:,.0f} but "
                f"those by {RAKE_CHOICES[variable]} add up to {total:,.0f}; every margin must "
                "describe the same businesses.")
    return population


def _text(content: bytes, name: str) -> str:
    check_csv_content(content, MARGINS_LIMITS, name)
    if len(content) > MAX_BYTES:
        raise MarginsFileError(f"{name}: the file is larger than 1 MB; a margins file has "
                               "one short row per category.")
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise MarginsFileError(f"{name}: this is a spreadsheet, not a CSV file; save it as "
                               "CSV (comma-separated, UTF-8) and upload that.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MarginsFileError(f"{name}: the file is not UTF-8 text (byte {error.start + 1}); "
                               "save it as CSV UTF-8 and upload it again.") from None


class MarginsFileError(core.WeightingError):
    """An uploaded margins file that cannot be used; the message names the row and column."""

    default_code = "margins_file"
