"""Anonymised microdata (pure): one row per respondent with the codebook's variables and
the final weight, no name, address, phone or reference, free text and exact counts left
out, borough and sector coarsened where a combination is rare, and numeric answers (counts
of incidents, costs) top-coded so that no released value at the top belongs to fewer than
k respondents. Written as CSV, SPSS .sav and Stata .dta (pyreadstat) with variable and
value labels, plus a codebook."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from bas.cells import safe_row
from bas.errors import BasError
from questionnaires.forms_data.bas_variables import DERIVED
from sampling.data.boroughs import BOROUGHS
from sampling.data.sectors import SIZE_BANDS

from .geography import SUB_REGION_OF, SUB_REGIONS
from .measures import SECTOR_GROUPS

# Codebook variables never released: identifying detail or free text.
WITHHELD = {"borough": "replaced by the coarsened area",
            "sector": "replaced by the coarsened sector group",
            "employees": "exact count identifies large businesses; size band given",
            "employees_band": "size band given", "size_band": "size band from the frame given"}
CONTACT_WORDS = ("name", "address", "phone", "postcode", "email", "reference", "contact")
LONDON_CODE, COMBINED_SECTORS = 200, 9
AREA_LABELS: dict[int, str] = {
    **{i: name for i, name in enumerate(BOROUGHS.values(), start=1)},
    **{101 + i: name for i, (name, _) in enumerate(SUB_REGIONS.values())},
    LONDON_CODE: "London (combined)",
}
AREA_CODE = {gss: i for i, gss in enumerate(BOROUGHS, start=1)}
SUB_REGION_CODE = {code: 101 + i for i, code in enumerate(SUB_REGIONS)}
SECTOR_CODE = {name: i for i, name in enumerate(SECTOR_GROUPS, start=1)}
SECTOR_LABELS = {**{SECTOR_CODE[k]: v for k, v in SECTOR_GROUPS.items()},
                 COMBINED_SECTORS: "Sectors combined"}
SIZE_LABELS = {1: "Micro (0-9 employees)", 2: "Small (10-49)", 3: "Medium (50-249)",
               4: "Large (250+)"}
YES_NO = {0: "No", 1: "Yes"}
# Stata allows 32-character names, but pyreadstat names a variable's value-label set after
# it plus a counter (up to 3 digits here), so variable names are kept to 29; labels to 80.
MAX_NAME, MAX_LABEL = 29, 80


class MicrodataError(BasError, ValueError):
    default_code = "invalid_microdata"


@dataclass
class Variable:
    name: str
    label: str
    source: str
    value_labels: dict[int, str] = field(default_factory=dict)
    column: str = ""  # the respondent-table column it comes from
    numeric_answer: bool = False  # an integer or decimal answer: top-coded
    top_coded_at: float | None = None  # values above it were released as it


@dataclass
class Microdata:
    table: pd.DataFrame
    variables: list[Variable]
    withheld: dict[str, str]
    coarsened: dict[str, int]  # rows whose area or sector was coarsened, by step
    min_combination: int
    top_coded: dict[str, dict[str, float]] = field(default_factory=dict)  # name -> at, rows

    def codebook_rows(self) -> list[dict[str, str]]:
        kinds = {c: "string" if self.table[c].dtype == object else "numeric"
                 for c in self.table.columns}
        return [{"name": v.name, "label": v.label, "type": kinds[v.name], "source": v.source,
                 "column": v.column,
                 "value_labels": "; ".join(f"{k} = {t}" for k, t in v.value_labels.items()),
                 "top_coded_at": "" if v.top_coded_at is None else f"{v.top_coded_at:g}"}
                for v in self.variables]


def anonymise(respondents: pd.DataFrame, codebook: dict, *, min_combination: int = 10,
              seed: int = 0) -> Microdata:
    """`respondents`: analysis.services.weighted_respondents (frame borough, sector_group,
    size_band and final_weight, answers with an _answer suffix where names clash)."""
    _require(respondents, ["borough", "sector_group", "size_band", "final_weight"])
    order = np.random.default_rng(seed).permutation(len(respondents))
    data = respondents.iloc[order].reset_index(drop=True)
    area, sector, coarsened = coarsen(data["borough"], data["sector_group"], min_combination)
    out = {"respondent_id": np.arange(1, len(data) + 1)}
    variables = [Variable("respondent_id", "Respondent serial number (random order)",
                          "assigned")]
    out["area"], out["sector_group"] = area, sector
    variables += [
        Variable("area", "Borough, or sub-region / London where the combination is rare",
                 "frame (coarsened)", AREA_LABELS),
        Variable("sector_group", "Sector group, or sectors combined where rare",
                 "frame (coarsened)", SECTOR_LABELS)]
    out["size_band"] = data["size_band"].map({b: i for i, b in enumerate(SIZE_BANDS, 1)})
    variables.append(Variable("size_band", "Business size band (employees)", "frame",
                              SIZE_LABELS))
    withheld = dict(WITHHELD)
    top_coded: dict[str, dict[str, float]] = {}
    codes = {float(c) for c in (codebook.get("dont_know_default"),
                                codebook.get("refused_default")) if c is not None}
    for variable, column in _answer_variables(data, codebook, withheld):
        values = data[column]
        if variable.numeric_answer:
            values, at, changed = top_code(values, min_combination, codes)
            if at is None:
                withheld[variable.name] = (f"fewer than {min_combination} answers: exact "
                                           "values would identify")
                continue
            if changed:
                variable.top_coded_at = at
                top_coded[variable.name] = {"at": at, "rows": changed}
        out[variable.name] = values
        variables.append(variable)
    for derived in DERIVED:
        if derived.name in data.columns:
            out[derived.name] = data[derived.name]
            variables.append(Variable(derived.name, derived.label[:MAX_LABEL], "derived",
                                      YES_NO))
    out["final_weight"] = data["final_weight"].astype(float)
    variables.append(Variable("final_weight", "Final weight (grossing to businesses)",
                              "weighting"))
    table = pd.DataFrame(out)
    for column in table.columns:
        table[column] = _storable(table[column])
    return Microdata(table, variables, withheld, coarsened, min_combination, top_coded)


def top_code(values: pd.Series, k: int, codes: set[float]
             ) -> tuple[pd.Series, float | None, int]:
    """Values above the k-th largest answer become it, so that at least k respondents share
    the top released value (a business's exact large loss can identify it).

    `codes` (don't know, refused) are not answers and stay as they are. Returns the
    values, the top code (None when fewer than k answered: release nothing) and how many
    values were lowered.
    """
    numeric = pd.to_numeric(values, errors="coerce")
    answered = numeric.notna() & ~numeric.isin(codes)
    if answered.sum() < k:
        return values, None, 0
    at = float(numeric[answered].nlargest(k).iloc[-1])
    above = answered & (numeric > at)
    return values.mask(above, at), at, int(above.sum())


def coarsen(borough: pd.Series, sector_group: pd.Series, k: int
            ) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Area and sector codes where every area x sector combination has at least k
    respondents where possible: a rare borough x sector becomes its ITL2 sub-region, then
    its sector becomes 'combined', then its area London."""
    area = borough.map(AREA_CODE)
    if area.isna().any():
        bad = borough[area.isna()].iloc[0]
        raise MicrodataError(f"borough: {bad!r} is not a London GSS code")
    region = borough.map(lambda b: SUB_REGION_CODE[SUB_REGION_OF[b]])
    sector = sector_group.map(SECTOR_CODE).fillna(COMBINED_SECTORS)
    area, sector = area.to_numpy(dtype=int), sector.to_numpy(dtype=int)
    steps = {"borough to sub-region": 0, "sector to combined": 0, "area to London": 0}
    rare = _rare(area, sector, k)
    steps["borough to sub-region"] = int(rare.sum())
    area = np.where(rare, region.to_numpy(dtype=int), area)
    rare = _rare(area, sector, k)
    steps["sector to combined"] = int(rare.sum())
    sector = np.where(rare, COMBINED_SECTORS, sector)
    rare = _rare(area, sector, k)
    steps["area to London"] = int(rare.sum())
    area = np.where(rare, LONDON_CODE, area)
    return area, sector, steps


def _rare(area: np.ndarray, sector: np.ndarray, k: int) -> np.ndarray:
    keys = pd.Series(list(zip(area, sector, strict=True)))
    return (keys.map(keys.value_counts()) < k).to_numpy()


def _answer_variables(data: pd.DataFrame, codebook: dict, withheld: dict[str, str]):
    dk, ref = codebook.get("dont_know_default"), codebook.get("refused_default")
    used: set[str] = {"respondent_id", "area", "sector_group", "size_band", "final_weight"}
    for entry in codebook["variables"]:
        name = entry["name"]
        if name in WITHHELD:
            continue
        if entry["type"] == "text" or _may_hold_contact(entry):
            withheld[name] = "free text" if entry["type"] == "text" else "contact detail"
            continue
        for column in entry["columns"]:
            source = f"{column}_answer" if f"{column}_answer" in data.columns else column
            if source not in data.columns:
                continue
            labels = _value_labels(entry, column, dk, ref)
            variable = Variable(_stata_name(column, used), _column_label(entry, column),
                                f"questionnaire: {name}", labels, column,
                                numeric_answer=entry["type"] in ("integer", "decimal"))
            used.add(variable.name)
            yield variable, source


def _may_hold_contact(entry: dict) -> bool:
    """A question named for a contact detail, unless its answers are coded choices (a
    yes/no such as london_address or recontact holds no contact detail)."""
    coded = entry["type"] in ("select_one", "select_multiple")
    return not coded and any(word in entry["name"] for word in CONTACT_WORDS)


def _value_labels(entry: dict, column: str, dk, ref) -> dict[int, str]:
    labels: dict[int, str] = {}
    choices = entry.get("value_labels") or {}
    if entry["type"] == "select_multiple":
        labels = {0: "Not selected", 1: "Selected"}
    elif choices and all(re.fullmatch(r"-?\d+", k) for k in choices):
        labels = {int(k): v for k, v in choices.items()}
    elif entry["type"] == "calculate" and "(1 yes, 0 no)" in entry["label"]:
        labels = dict(YES_NO)
    if labels or entry["type"] in ("integer", "decimal"):
        if entry.get("dont_know") and dk is not None:
            labels[int(dk)] = "Don't know"
        if entry.get("refused") and ref is not None:
            labels[int(ref)] = "Refused"
    return labels


def _column_label(entry: dict, column: str) -> str:
    label = entry["label"] or entry["name"]
    extra = column[len(entry["name"]):].strip("_").replace("__", ", ")
    text = f"{label} [{extra}]" if extra else label
    return re.sub(r"\$\{(\w+)\}", r"<\1>", text)[:MAX_LABEL]


def _stata_name(column: str, used: set[str]) -> str:
    name = re.sub(r"\W", "_", column)
    if len(name) <= MAX_NAME and name not in used:
        return name
    stem = name[:MAX_NAME - 4]
    for i in range(1, 1000):
        candidate = f"{stem}_{i:03d}"
        if candidate not in used:
            return candidate
    raise MicrodataError(f"{column}: cannot make a unique short variable name")


def _storable(values: pd.Series) -> pd.Series:
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().sum() == values.notna().sum():
        return numeric.astype(float)
    return values.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v))
                      else str(v)).astype(object)


def _require(table: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise MicrodataError(f"respondent table: missing column(s) {', '.join(missing)}")


def write_microdata(microdata: Microdata, folder: Path, stem: str = "bas_microdata"
                    ) -> list[Path]:
    """CSV, .sav, .dta and the codebook (CSV and JSON) into `folder`."""
    import pyreadstat

    folder.mkdir(parents=True, exist_ok=True)
    table = microdata.table
    labels = {v.name: v.label for v in microdata.variables}
    value_labels = {v.name: v.value_labels for v in microdata.variables
                    if v.value_labels and table[v.name].dtype != object}
    paths = [folder / f"{stem}.csv", folder / f"{stem}.sav", folder / f"{stem}.dta",
             folder / f"{stem}_codebook.csv", folder / f"{stem}_codebook.json"]
    _write_csv(paths[0], list(table.columns), table.itertuples(index=False))
    missing = {name: [{"lo": -9, "hi": -8}] for name, codes in value_labels.items()
               if -8 in codes or -9 in codes}
    pyreadstat.write_sav(table, str(paths[1]), column_labels=labels,
                         variable_value_labels=value_labels, missing_ranges=missing)
    pyreadstat.write_dta(table, str(paths[2]), column_labels=labels,
                         variable_value_labels=value_labels)
    rows = microdata.codebook_rows()
    _write_csv(paths[3], list(rows[0]), (r.values() for r in rows))
    paths[4].write_text(json.dumps({
        "variables": rows, "withheld": microdata.withheld,
        "coarsening": {"min_combination": microdata.min_combination,
                       "rows_coarsened": microdata.coarsened},
        "top_coding": {"min_share_of_top_value": microdata.min_combination,
                       "variables": microdata.top_coded}}, indent=2), encoding="utf-8")
    return paths


def _write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(safe_row("" if v is None or (isinstance(v, float) and np.isnan(v))
                                     else v for v in row))
