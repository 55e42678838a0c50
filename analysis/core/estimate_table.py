"""The whole estimate run behind `manage.py estimate`: design, optional raking, then one
block of rows per domain variable (whole population first)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .design import make_design
from .domains import domains_by, whole_population
from .errors import AnalysisError
from .estimates import RESULT_COLUMNS
from .estimators import survey_mean, survey_proportion, survey_total
from .margins import Margin, match_margins
from .raking import rake
from .tables import numeric_column, parse_subset, require_columns, weight_column


@dataclass(frozen=True)
class EstimateRequest:
    weight: str
    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None
    means: list[str] = field(default_factory=list)
    proportions: list[str] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)
    by: list[str] = field(default_factory=list)
    subset: str | None = None
    ci: str = "logit"
    level: float = 0.95


def estimate_table(frame: pd.DataFrame, request: EstimateRequest,
                   margins: list[Margin] | None = None, source: str = "data") -> pd.DataFrame:
    """Rows variable, by, domain, estimate, se, ci_low, ci_high, n, deff."""
    variables = [*request.means, *request.proportions, *request.totals]
    if not variables:
        raise AnalysisError("nothing to estimate: give --mean, --proportion or --total")
    design_columns = [c for c in (request.weight, request.strata, request.cluster, request.fpc)
                      if c]
    require_columns(frame, [*design_columns, *variables, *request.by], source)
    weights = weight_column(frame, request.weight, source)
    design = make_design(
        weights,
        strata=_design_column(frame, request.strata, source),
        cluster=_design_column(frame, request.cluster, source),
        fpc=numeric_column(frame, request.fpc, source) if request.fpc else None,
    )
    if margins is not None:
        raked = rake(weights, match_margins(frame, margins, source))
        design = design.with_weights(raked.weights, raked.calibration)
    within = parse_subset(request.subset, frame, source) if request.subset else None
    values = {v: numeric_column(frame, v, source) for v in variables}
    for variable in request.proportions:
        _check_binary(frame, variable, values[variable], source)
    blocks = [whole_population(design.n, within)]
    blocks += [domains_by(frame[b].to_numpy(dtype=object), b, within) for b in request.by]
    estimators = ([(v, survey_mean) for v in request.means]
                  + [(v, survey_proportion) for v in request.proportions]
                  + [(v, survey_total) for v in request.totals])
    frames = []
    for domains in blocks:
        for variable, estimator in estimators:
            result = estimator(design, values[variable], domains, variable=variable)
            frames.append(result.to_frame(request.ci, request.level))
    return pd.concat(frames, ignore_index=True)[RESULT_COLUMNS]


def _check_binary(frame: pd.DataFrame, column: str, values: np.ndarray, source: str) -> None:
    bad = np.flatnonzero(~np.isnan(values) & (values != 0) & (values != 1))
    if bad.size:
        i = int(bad[0])
        raise AnalysisError(f"{source}: row {i + 2}, column {column!r}: value "
                            f"{frame[column].iloc[i]!r} is not 0 or 1 (--proportion needs a "
                            "0/1 variable)")


def _design_column(frame: pd.DataFrame, column: str | None, source: str) -> np.ndarray | None:
    if column is None:
        return None
    values = frame[column]
    if values.isna().any():
        i = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise AnalysisError(f"{source}: row {i + 2}, column {column!r}: missing value in a "
                            "design variable")
    return values.to_numpy(dtype=object)
