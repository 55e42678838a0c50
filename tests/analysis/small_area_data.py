"""Shared loading of the sae reference data for the small-area tests (no R needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.small_area import DesignMatrix, model_matrix

SAE = Path(__file__).parent / "data" / "sae"
MILK = SAE / "milk.csv"
BOROUGHS = SAE / "boroughs.csv"
EBLUP_RTOL = 1e-6
MSE_RTOL = 1e-4
SETTINGS = {"tight": (1000, 1e-12), "default": (100, 1e-4), "maxiter2": (2, 1e-4)}


def read_case(case: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, DesignMatrix]:
    """(table, direct, variance, design) for a case of make_fh_reference.R."""
    if case == "milk":
        table = pd.read_csv(MILK)
        design = model_matrix({}, {"major_area": table.major_area.astype(str).tolist()},
                              n_rows=len(table))
        return table, table.yi.to_numpy(copy=True), table["var"].to_numpy(copy=True), design
    table = pd.read_csv(BOROUGHS)
    design = model_matrix({"crime_rate": table.crime_rate.to_numpy()},
                          {"inner": table.inner.tolist()}, n_rows=len(table))
    column = "estimate_zero" if case == "boroughs_zero" else "estimate"
    return (table, table[column].to_numpy(copy=True), table.variance.to_numpy(copy=True),
            design)


def domain_reference() -> pd.DataFrame:
    return pd.read_csv(SAE / "fh_reference.csv", dtype={"domain": str})


def fit_reference() -> pd.DataFrame:
    return pd.read_csv(SAE / "fh_fit_reference.csv")
