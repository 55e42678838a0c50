"""The microdata files (pure): CSV, SPSS .sav, Stata .dta (version 118, Stata 14 and later),
the codebook (CSV and JSON) and the note on reproducing the published estimates.

- Missing codes come from the codebook, variable by variable: user-missing values in .sav,
  Stata's extended missing values in .dta (.a don't know, .b refused), kept as numbers in the
  CSV and listed in the codebook's missing_values column.
- Labels are written whole where the format allows it and shortened from the front where it
  does not (microdata_variables), so that no two read the same.
- Measurement levels and display formats in .sav; codes in the CSV as integers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd

from bas.cells import safe_cell, safe_row

from .microdata_variables import (
    DTA_VALUE_LABEL,
    DTA_VARIABLE_LABEL,
    SAV_VALUE_LABEL,
    SAV_VARIABLE_LABEL,
    STATA_MISSING,
    Microdata,
    Variable,
    fitted_labels,
    fitted_value_labels,
    plain_number,
    spss_format,
)

CODEBOOK_COLUMNS = ["name", "label", "type", "level", "format", "source", "column",
                    "value_labels", "missing_values", "top_coded_at"]
NOTE_SUFFIX = "_how_to_estimate.txt"
REPLICATES_SUFFIX = "_replicate_weights"


def write_microdata(microdata: Microdata, folder: Path, stem: str = "bas_microdata"
                    ) -> list[Path]:
    """CSV, .sav, .dta, the codebook (CSV and JSON) and the design note into `folder`; with
    the design, the replicate weights in CSV, .sav and .dta files of their own (one row per
    respondent, merged on respondent_id)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.csv", folder / f"{stem}.sav", folder / f"{stem}.dta",
             folder / f"{stem}_codebook.csv", folder / f"{stem}_codebook.json",
             folder / f"{stem}{NOTE_SUFFIX}"]
    table = microdata.table
    _write_table_csv(paths[0], table)
    write_sav(table, microdata.variables, paths[1])
    write_dta(table, microdata.variables, paths[2])
    rows = codebook_rows(microdata)
    _write_csv(paths[3], CODEBOOK_COLUMNS, ([r[c] for c in CODEBOOK_COLUMNS] for r in rows))
    design = dict(microdata.design)
    replicate_paths = []
    if microdata.replicates is not None:
        replicate_paths = [folder / f"{stem}{REPLICATES_SUFFIX}.{ext}"
                           for ext in ("csv", "sav", "dta")]
        _write_table_csv(replicate_paths[0], microdata.replicates)
        write_sav(microdata.replicates, microdata.replicate_variables, replicate_paths[1])
        write_dta(microdata.replicates, microdata.replicate_variables, replicate_paths[2])
        design["replicate_weights_files"] = [p.name for p in replicate_paths]
        design["merge_on"] = "respondent_id"
    paths[4].write_text(json.dumps({
        "variables": rows, "withheld": microdata.withheld,
        "missing_values": "Don't know and refused keep the questionnaire's codes (listed per "
                          "variable): user-missing in the .sav, Stata .a (don't know) and .b "
                          "(refused) in the .dta, numbers in the CSV.",
        "coarsening": {"min_combination": microdata.min_combination,
                       "rows_coarsened": microdata.coarsened},
        "top_coding": {"min_share_of_top_value": microdata.min_combination,
                       "variables": microdata.top_coded},
        "design": design}, indent=2, ensure_ascii=False), encoding="utf-8")
    paths[5].write_text(design_note(microdata, stem), encoding="utf-8")
    return paths + replicate_paths


def codebook_rows(microdata: Microdata) -> list[dict[str, str]]:
    table = microdata.table
    rows = []
    for v in microdata.variables:
        numeric = table[v.name].dtype != object
        rows.append({
            "name": v.name, "label": v.label, "type": "numeric" if numeric else "string",
            "level": v.level, "format": spss_format(table[v.name], v), "source": v.source,
            "column": v.column,
            # text first, as in missing_values: a cell starting "-8" would get an apostrophe
            "value_labels": "; ".join(f"{t} = {k}" for k, t in v.value_labels.items()),
            "missing_values": v.missing_text(),
            "top_coded_at": "" if v.top_coded_at is None else f"{v.top_coded_at:g}"})
    return rows


def write_sav(table: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    import pyreadstat

    numeric = [v for v in variables if table[v.name].dtype != object]
    labels = fitted_labels({v.name: v.label for v in variables}, SAV_VARIABLE_LABEL)
    pyreadstat.write_sav(
        table, str(path), column_labels=labels,
        variable_value_labels={v.name: fitted_value_labels(v.value_labels, SAV_VALUE_LABEL)
                               for v in numeric if v.value_labels},
        missing_ranges={v.name: list(v.missing_codes) for v in numeric if v.missing},
        variable_measure={v.name: v.level for v in variables},
        variable_format={v.name: spss_format(table[v.name], v) for v in variables})


def write_dta(table: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """Version 118; don't know and refused as .a and .b (with their labels).

    pyreadstat learns an object column's type from its first 100 values: a column whose
    first 100 values are all missing or letters is taken for text and the writer fails on the
    numbers after them. So a column gets letters only where a missing code occurs in it, and
    if such a column still begins with no number, the first row holding one is moved to the
    top (rarely needed; the file label then says to sort by respondent_id)."""
    import pyreadstat

    table = table.copy()
    value_labels, missing = {}, {}
    for v in variables:
        if table[v.name].dtype == object:
            continue
        labels = {k: t for k, t in v.value_labels.items() if k not in v.missing_codes}
        present = {kind: code for kind, code in v.missing.items()
                   if (table[v.name] == code).any()}
        if present:
            column = table[v.name].astype(object)
            for kind, code in present.items():
                column = column.mask(table[v.name] == code, STATA_MISSING[kind])
            table[v.name] = column
            missing[v.name] = [STATA_MISSING[kind] for kind in present]
        for kind, code in present.items():
            labels[STATA_MISSING[kind]] = v.value_labels.get(code, kind)
        if labels:
            value_labels[v.name] = fitted_value_labels(labels, DTA_VALUE_LABEL)
    table, moved = _numbers_first(table, list(missing))
    labels = fitted_labels({v.name: v.label for v in variables}, DTA_VARIABLE_LABEL)
    pyreadstat.write_dta(table, str(path), column_labels=labels, version=14,
                         variable_value_labels=value_labels, missing_user_values=missing,
                         file_label="Sort by respondent_id for the microdata's order"
                         if moved else "")


SNIFFED_ROWS = 100  # how many values pyreadstat (through narwhals) reads to type a column


def _numbers_first(table: pd.DataFrame, lettered: list[str]) -> tuple[pd.DataFrame, bool]:
    """Move to the top, for each lettered column whose first values hold no number, the first
    row that holds one (see write_dta); the table unchanged when none needs it."""
    rows: list[int] = []
    for name in lettered:
        numeric = table[name].map(lambda value: isinstance(value, float) and value == value)
        if numeric.any() and not numeric.iloc[:SNIFFED_ROWS].any():
            rows.append(int(np.flatnonzero(numeric.to_numpy())[0]))
    if not rows:
        return table, False
    first = list(dict.fromkeys(rows))
    order = first + [i for i in range(len(table)) if i not in set(first)]
    return table.iloc[order].reset_index(drop=True), True


def design_note(microdata: Microdata, stem: str) -> str:
    """How to reproduce the published estimates in SPSS, Stata and R (plain text)."""
    design = microdata.design
    lines = [
        "How to reproduce the published estimates from this microdata",
        "=============================================================",
        "",
        "Don't know and refused are missing values in the .sav (user-missing) and the .dta",
        "(.a and .b); in the CSV they keep their codes (see missing_values in the codebook):",
        "set them to missing before any calculation.",
        "",
    ]
    if not design:
        return "\n".join(lines + ["Weight every estimate by final_weight.", ""])
    scale = repr(float(design["scale"]))
    count = design["replicates"]
    first, last = design["replicate_weights"][0], design["replicate_weights"][-1]
    replicates = f"{stem}{REPLICATES_SUFFIX}"
    lines += [
        "The design: final_weight (the weight), variance_stratum (sampling strata, renumbered)",
        f"and psu (one business per row); {count} replicate weights {first} ... {last} are in",
        f"{replicates}.csv / .sav / .dta, one row per respondent: merge on respondent_id.",
        "The published standard errors allow for the raking of the weights to the frame's",
        "businesses by borough, sector group and size band. The replicate weights carry that",
        "calibration, so they reproduce the published estimates and standard errors exactly:",
        f"variance = {scale} x the sum over replicates of (replicate estimate - mean of the",
        "replicate estimates)^2 (Fay's generalised replication; every replicate weight is",
        "within one part in ten million of the final weight, so store them in double).",
        "Strata and PSUs alone give the stratified design's standard errors without the",
        "calibration: close to the published ones, slightly larger.",
        "",
        "R (survey package)",
        "------------------",
        "library(haven); library(survey)",
        f'd <- merge(read_dta("{stem}.dta"), read_dta("{replicates}.dta"),',
        '           by = "respondent_id")   # .a/.b become NA',
        'rep <- svrepdesign(data = d, weights = ~final_weight, repweights = "repw_[0-9]+",',
        f"                   type = \"other\", scale = {scale}, rscales = 1,",
        "                   mse = FALSE, combined.weights = TRUE)",
        "svymean(~confident_police, rep, na.rm = TRUE)",
        "# stratified design without the calibration:",
        "# svydesign(ids = ~psu, strata = ~variance_stratum, weights = ~final_weight, data = d)",
        "",
        "Stata (14 or later)",
        "-------------------",
        f"use {stem}.dta",
        f"merge 1:1 respondent_id using {replicates}.dta, nogenerate",
        f"svyset [pweight=final_weight], jkrweight(repw_*, multiplier({scale})) vce(jackknife)",
        "svy: mean confident_police",
        "* stratified design without the calibration:",
        "* svyset psu [pweight=final_weight], strata(variance_stratum) singleunit(centered)",
        "",
        "SPSS Complex Samples",
        "--------------------",
        "SPSS Complex Samples takes no replicate weights: it gives the stratified design's",
        "standard errors (without the calibration), close to the published ones.",
        f"GET FILE='{stem}.sav'.",
        "CSPLAN ANALYSIS /PLAN FILE='bas_design.csaplan'",
        "  /PLANVARS ANALYSISWEIGHT=final_weight",
        "  /DESIGN STRATA=variance_stratum CLUSTER=psu",
        "  /ESTIMATOR TYPE=WR.",
        "CSDESCRIPTIVES /PLAN FILE='bas_design.csaplan'",
        "  /SUMMARY VARIABLES=confident_police /MEAN /STATISTICS SE CIN(95)",
        "  /MISSING SCOPE=ANALYSIS CLASSMISSING=EXCLUDE.",
        "",
        "Estimates by area or sector group differ from the published ones where rare",
        "combinations were coarsened (see the codebook's coarsening).",
        "",
    ]
    return "\n".join(lines)


def _write_table_csv(path: Path, table: pd.DataFrame) -> None:
    """Column by column: whole numbers as integers ("1", not "1.0"), other numbers exactly
    (shortest round-trip form), text made formula-safe (bas.cells), missing as empty."""
    columns = {}
    for name in table.columns:
        values = table[name]
        if values.dtype == object:
            columns[name] = [safe_cell(_csv_value(v)) for v in values.tolist()]
        else:
            columns[name] = _number_texts(values.to_numpy(dtype=float))
    frame = pd.DataFrame(columns, columns=list(table.columns))
    frame.columns = safe_row(table.columns)
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")


def _number_texts(values: np.ndarray) -> np.ndarray:
    missing = np.isnan(values)
    whole = ~missing & (values == np.floor(values)) & (np.abs(values) < 2 ** 53)
    texts = np.where(missing, "", values.astype(str)).astype(object)
    texts[whole] = values[whole].astype(np.int64).astype(str)
    return texts


def _write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(safe_row(_csv_value(v) for v in row))


def _csv_value(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return plain_number(value)
