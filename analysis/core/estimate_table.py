"""The whole estimate run behind `manage.py estimate`: design, optional raking, then one
block of rows per domain variable (whole population first)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .ci_methods import DEFAULT_PROPORTION_CI
from .design import make_design
from .domains import domains_by, whole_population
from .errors import AnalysisError
from .estimates import RESULT_COLUMNS
from .estimators import estimate
from .margins import Margin, match_margins
from .raking import rake_design
from .statistics import SINGLE_VARIABLE, statistic
from .tables import numeric_column, parse_subset, require_columns, weight_column


@dataclass(frozen=True)
class EstimateRequest:
    """`variables`: statistic name (of the registry) -> the variables to estimate it for,
    in the order the rows come out."""

    weight: str
    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None
    variables: dict[str, list[str]] = field(default_factory=dict)
    by: list[str] = field(default_factory=list)
    subset: str | None = None
    ci: str = DEFAULT_PROPORTION_CI
    level: float = 0.95

    @property
    def estimators(self) -> list[tuple[str, str]]:
        """(statistic, variable) pairs in the registry's order."""
        return [(name, v) for name in SINGLE_VARIABLE for v in self.variables.get(name, [])]


def estimate_table(frame: pd.DataFrame, request: EstimateRequest,
                   margins: list[Margin] | None = None, source: str = "data") -> pd.DataFrame:
    """Rows variable, by, domain, estimate, se, ci_low, ci_high, n, deff."""
    pairs = request.estimators
    if not pairs:
        flags = ", ".join(f"--{name}" for name in SINGLE_VARIABLE)
        raise AnalysisError(f"nothing to estimate: give {flags}")
    variables = list(dict.fromkeys(v for _, v in pairs))
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
        design = rake_design(design, match_margins(frame, margins, source))
    within = parse_subset(request.subset, frame, source) if request.subset else None
    values = {v: numeric_column(frame, v, source) for v in variables}
    for name, variable in pairs:
        if statistic(name).binary:
            _check_binary(frame, variable, values[variable], source, name)
    blocks = [whole_population(design.n, within)]
    blocks += [domains_by(frame[b], b, within) for b in request.by]
    frames = []
    for domains in blocks:
        for name, variable in pairs:
            result = estimate(design, name, values[variable], domains, variable=variable)
            frames.append(result.to_frame(request.ci, request.level))
    return pd.concat(frames, ignore_index=True)[RESULT_COLUMNS]


def _check_binary(frame: pd.DataFrame, column: str, values: np.ndarray, source: str,
                  name: str) -> None:
    bad = np.flatnonzero(~np.isnan(values) & (values != 0) & (values != 1))
    if bad.size:
        i = int(bad[0])
        raise AnalysisError(f"{source}: row {i + 2}, column {column!r}: value "
                            f"{frame[column].iloc[i]!r} is not 0 or 1 (--{name} needs a "
                            "0/1 variable)")


def _design_column(frame: pd.DataFrame, column: str | None, source: str) -> pd.Series | None:
    if column is None:
        return None
    values = frame[column]
    if values.isna().any():
        i = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise AnalysisError(f"{source}: row {i + 2}, column {column!r}: missing value in a "
                            "design variable")
    return values
