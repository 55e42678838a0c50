"""Anonymised microdata (pure): one row per respondent with the codebook's variables and
the final weight, no name, address, phone or reference, free text and exact counts left
out, borough and sector coarsened where a combination is rare, and numeric answers (counts
of incidents, costs) top-coded so that no released value at the top belongs to fewer than
k respondents. The design goes with the data: variance stratum, PSU, final weight and
replicate weights that reproduce the published standard errors (microdata_design). Written
as CSV, SPSS .sav and Stata .dta with the codebook's labels, missing codes and measurement
levels (microdata_files)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from bas.errors import BasError
from questionnaires.forms_data.bas_variables import DERIVED
from sampling.data.boroughs import BOROUGHS
from sampling.data.sectors import SIZE_BANDS

from .geography import SUB_REGION_OF, SUB_REGIONS
from .measures import SECTOR_GROUPS
from .microdata_design import ReleasedDesign, released_design
from .microdata_files import write_microdata
from .microdata_variables import (
    MAX_NAME,
    MISSING_TEXT,
    Microdata,
    Variable,
    empty_columns,
    measurement_level,
    question_names,
)

__all__ = ["LONDON_CODE", "MAX_NAME", "Microdata", "MicrodataError", "Variable", "anonymise",
           "coarsen", "top_code", "write_microdata"]

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
EMPTY = "no answers in this wave (every value missing)"


class MicrodataError(BasError, ValueError):
    default_code = "invalid_microdata"


def anonymise(respondents: pd.DataFrame, codebook: dict, *, min_combination: int = 10,
              seed: int = 0, design: dict | None = None) -> Microdata:
    """`respondents`: analysis.services.weighted_respondents (frame borough, sector_group,
    size_band and final_weight, answers with an _answer suffix where names clash);
    `design`: the weighting run's design spec (core.DesignSpec.to_dict()), from which the
    released design (variance strata, PSUs, replicate weights) is made."""
    _require(respondents, ["borough", "sector_group", "size_band", "final_weight"])
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(respondents))
    released = (released_design(respondents, design, rng) if design else None)
    data = respondents.iloc[order].reset_index(drop=True)
    area, sector, coarsened = coarsen(data["borough"], data["sector_group"], min_combination)
    out: dict[str, object] = {"respondent_id": np.arange(1, len(data) + 1)}
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
                              SIZE_LABELS, level="ordinal"))
    withheld = dict(WITHHELD)
    top_coded: dict[str, dict[str, float]] = {}
    for variable, column in _answer_variables(data, codebook, withheld):
        values = data[column]
        if variable.numeric_answer:
            codes = {float(c) for c in variable.missing_codes}
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
            variables.append(Variable(derived.name, derived.label, "derived", YES_NO))
    empty = set(empty_columns(pd.DataFrame({v.name: out[v.name] for v in variables[4:]}),
                              [v.name for v in variables[4:]]))
    for name in empty:
        withheld[name] = EMPTY
        del out[name]
    variables = [v for v in variables if v.name not in empty]
    _design_columns(out, variables, data, released, order)
    table = pd.DataFrame({name: _storable(pd.Series(values)) for name, values in out.items()})
    micro = Microdata(table, variables, withheld, coarsened, min_combination, top_coded)
    if released is not None:
        micro.design = {**released.about(), "coarsened_areas_shown_by_strata": (
            areas_shown_by_strata(data["borough"], area, released.stratum[order]))}
        micro.replicates, micro.replicate_variables = _replicate_file(
            table["respondent_id"], released, order)
    return micro


def areas_shown_by_strata(borough: pd.Series, area: np.ndarray, stratum: np.ndarray) -> int:
    """Rows whose borough was coarsened but is shown by the variance stratum: a stratum lies
    within one borough, so a stratum-mate released with its borough gives it away. Stated in
    the codebook, for whoever releases the file to weigh against exact standard errors."""
    own = borough.map(AREA_CODE).to_numpy(dtype=int)
    frame = pd.DataFrame({"own": own, "area": area, "stratum": stratum})
    shown = frame[frame["area"] == frame["own"]].groupby("stratum").size()
    hidden = frame["area"] != frame["own"]
    return int((hidden & frame["stratum"].isin(shown.index)).sum())


def _design_columns(out: dict, variables: list[Variable], data: pd.DataFrame,
                    released: ReleasedDesign | None, order: np.ndarray) -> None:
    """Final weight, and with the design: variance stratum and PSU."""
    if released is not None:
        out["variance_stratum"] = released.stratum[order]
        variables.append(Variable(
            "variance_stratum", "Variance stratum (sampling stratum, renumbered at random)",
            "sample design"))
        out["psu"] = out["respondent_id"]
        variables.append(Variable("psu", "Primary sampling unit (the business: one per row)",
                                  "sample design"))
        out["final_weight"] = released.weights[order]
    else:
        out["final_weight"] = data["final_weight"].astype(float)
    variables.append(Variable("final_weight", "Final weight (grossing to businesses)",
                              "weighting", level="scale"))


def _replicate_file(respondent_id: pd.Series, released: ReleasedDesign, order: np.ndarray
                    ) -> tuple[pd.DataFrame, list[Variable]]:
    """respondent_id and the replicate weights, in the microdata's row order."""
    count = released.replicates.shape[1]
    table = pd.concat([respondent_id.astype(float).to_frame(),
                       pd.DataFrame(released.replicates[order],
                                    columns=released.replicate_names)], axis=1)
    variables = [Variable("respondent_id", "Respondent serial number (as in the microdata)",
                          "assigned")]
    variables += [Variable(name, f"Replicate weight {r} of {count} (see the design note)",
                           "weighting (replicates)", level="scale")
                  for r, name in enumerate(released.replicate_names, start=1)]
    return table, variables


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
    used: set[str] = {"respondent_id", "area", "sector_group", "size_band", "final_weight",
                      "variance_stratum", "psu"}
    used |= {d.name for d in DERIVED}
    instance_labels = _instance_labels(codebook)
    for entry in codebook["variables"]:
        name = entry["name"]
        if name in WITHHELD:
            continue
        if entry["type"] == "text" or _may_hold_contact(entry):
            withheld[name] = "free text" if entry["type"] == "text" else "contact detail"
            continue
        missing = _missing_codes(entry, codebook)
        names = question_names(entry["columns"], name, used)
        for column in entry["columns"]:
            source = f"{column}_answer" if f"{column}_answer" in data.columns else column
            if source not in data.columns:
                continue
            labels = _value_labels(entry, missing)
            short = names[column]
            if short is None:
                raise MicrodataError(f"{column}: cannot make a unique short variable name")
            variable = Variable(short, column_label(entry, column, instance_labels),
                                f"questionnaire: {name}", labels, column,
                                numeric_answer=entry["type"] in ("integer", "decimal"),
                                missing=missing,
                                level=measurement_level(entry["type"], labels, missing))
            used.add(variable.name)
            yield variable, source


def _missing_codes(entry: dict, codebook: dict) -> dict[str, int]:
    """The question's don't-know and refused codes, as its codebook entry gives them (a
    code, or true for the questionnaire's default code)."""
    codes = {}
    for kind in ("dont_know", "refused"):
        value = entry.get(kind)
        if value is True:
            value = codebook.get(f"{kind}_default")
        if value is not None and value is not False:
            codes[kind] = int(value)
    return codes


def _may_hold_contact(entry: dict) -> bool:
    """A question named for a contact detail, unless its answers are coded choices (a
    yes/no such as london_address or recontact holds no contact detail)."""
    coded = entry["type"] in ("select_one", "select_multiple")
    return not coded and any(word in entry["name"] for word in CONTACT_WORDS)


def _value_labels(entry: dict, missing: dict[str, int]) -> dict[int, str]:
    labels: dict[int, str] = {}
    choices = entry.get("value_labels") or {}
    if entry["type"] == "select_multiple":
        labels = {0: "Not selected", 1: "Selected"}
    elif choices and all(re.fullmatch(r"-?\d+", k) for k in choices):
        labels = {int(k): v for k, v in choices.items()}
    elif entry["type"] == "calculate" and "(1 yes, 0 no)" in entry["label"]:
        labels = dict(YES_NO)
    for kind, code in missing.items():
        labels[code] = MISSING_TEXT[kind]
    return labels


def _instance_labels(codebook: dict) -> dict[str, dict[str, str]]:
    """Repeat name -> instance key -> label, for repeats over a question's choices."""
    by_name = {e["name"]: e for e in codebook["variables"]}
    out: dict[str, dict[str, str]] = {}
    for entry in codebook["variables"]:
        found = re.search(r"selected at (\w+)", entry.get("instances") or "")
        if entry.get("repeat") and found and found.group(1) in by_name:
            out[entry["repeat"]] = dict(by_name[found.group(1)].get("value_labels") or {})
    return out


def column_label(entry: dict, column: str, instance_labels: dict[str, dict[str, str]]
                 ) -> str:
    """The question's label, then the column's instance and choice in brackets (the end is
    what is kept when a format needs the label shorter): '... [Burglary ...: Too trivial]'.
    """
    name, label = entry["name"], entry["label"] or entry["name"]
    parts = [p for p in column[len(name):].split("__") if p]
    tail = []
    repeat = entry.get("repeat") or ""
    if repeat and parts:
        key, parts = parts[0], parts[1:]
        tail.append(instance_labels.get(repeat, {}).get(key, key.replace("_", " ")))
    choices = entry.get("value_labels") or {}
    tail += [choices.get(p, p.replace("_", " ")) for p in parts]
    text = re.sub(r"\$\{(\w+)\}", r"<\1>", label)
    return f"{text} [{': '.join(tail)}]" if tail else text


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
