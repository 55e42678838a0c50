"""What rebuilds a weighted design from a respondent table, as plain JSON-ready data: the
weight, stratum, cluster and fpc columns, the calibration (method, base weights, the
population margins) and the replicate method. A weighting run stores one; estimation
rebuilds the design from it and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .calibration import CALFUNS, calibrate_design
from .design import Design, make_design
from .errors import EstimationError
from .margins import Margin, match_margins
from .raking import margin_population, rake_design, raking_calibration
from .replicates import ReplicateWeights, bootstrap_weights, jk1_weights, jkn_weights
from .tables import numeric_column, require_columns, weight_column


def _bootstrap(design: Design, options: dict[str, object]) -> ReplicateWeights:
    return bootstrap_weights(design, int(options.get("replicates", 200)),
                             np.random.default_rng(int(options.get("seed", 0))))


# replicate method -> factors for a design, given the spec's options (replicates, seed)
REPLICATE_METHODS: dict[str, Callable[[Design, dict[str, object]], ReplicateWeights]] = {
    "JK1": lambda design, options: jk1_weights(design),
    "JKn": lambda design, options: jkn_weights(design),
    "bootstrap": _bootstrap,
}


@dataclass(frozen=True)
class CalibrationSpec:
    """Calibration to population margins (R calibrate(~a + b + ..., calfun)): `margins`
    holds each variable's categories and totals in order; `base_weights` names the column of
    the weights before calibration."""

    base_weights: str
    margins: tuple[Margin, ...]
    method: str = "raking"

    def to_dict(self) -> dict[str, object]:
        return {"method": self.method, "base_weights": self.base_weights,
                "margins": [{"variable": m.variable, "categories": list(m.categories),
                             "totals": [float(t) for t in m.totals]} for m in self.margins]}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> CalibrationSpec:
        margins = tuple(Margin(str(m["variable"]), tuple(str(c) for c in m["categories"]),
                               np.asarray(m["totals"], dtype=float))
                        for m in _get(data, "margins", "calibration"))
        method = str(data.get("method", "raking"))
        if method not in CALFUNS:
            raise EstimationError(f"design spec: calibration method {method!r} is not one of "
                                  f"{', '.join(CALFUNS)}")
        return cls(str(_get(data, "base_weights", "calibration")), margins, method)


@dataclass(frozen=True)
class DesignSpec:
    """The design of a respondent table by column names (None: not in the design)."""

    weights: str
    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None
    calibration: CalibrationSpec | None = None
    replicates: dict[str, object] | None = field(default=None)

    def to_dict(self) -> dict[str, object]:
        return {"weights": self.weights, "strata": self.strata, "cluster": self.cluster,
                "fpc": self.fpc,
                "calibration": self.calibration.to_dict() if self.calibration else None,
                "replicates": self.replicates}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> DesignSpec:
        if not data:
            raise EstimationError("no design spec stored: weight the wave again to record "
                                  "the design its estimates are made from")
        calibration = data.get("calibration")
        replicates = data.get("replicates")
        if replicates is not None and replicates.get("method") not in REPLICATE_METHODS:
            raise EstimationError(f"design spec: replicate method {replicates.get('method')!r}"
                                  f" is not one of {', '.join(REPLICATE_METHODS)}")
        return cls(str(_get(data, "weights", "design")), data.get("strata"),
                   data.get("cluster"), data.get("fpc"),
                   CalibrationSpec.from_dict(calibration) if calibration else None,
                   dict(replicates) if replicates else None)

    @property
    def columns(self) -> list[str]:
        names = [self.weights, self.strata, self.cluster, self.fpc]
        if self.calibration is not None:
            names += [self.calibration.base_weights,
                      *(m.variable for m in self.calibration.margins)]
        return [c for c in names if c]


def build_design(spec: DesignSpec, frame: pd.DataFrame, source: str = "data") -> Design:
    """The design the spec describes, on the rows of `frame`. With calibration, the weights
    are the spec's (final) weights and the calibration model is rebuilt from the margins and
    the base weights, for calibration-aware variance; with replicate weights too, the design
    is raked again with every replicate (the final weights must then be the raked ones)."""
    require_columns(frame, spec.columns, source)
    cal = spec.calibration
    base = weight_column(frame, cal.base_weights if cal else spec.weights, source)
    design = make_design(
        base,
        strata=_labels(frame, spec.strata),
        cluster=_labels(frame, spec.cluster),
        fpc=numeric_column(frame, spec.fpc, source) if spec.fpc else None,
    )
    if spec.replicates is not None:
        method = REPLICATE_METHODS[str(spec.replicates["method"])]
        design = design.with_replicates(method(design, spec.replicates))
    if cal is None:
        return design
    text = frame.astype({m.variable: str for m in cal.margins})
    matched = match_margins(text, list(cal.margins), source)
    final = weight_column(frame, spec.weights, source)
    if design.replicates is not None:
        if cal.method == "raking":
            raked = rake_design(design, matched)
        else:
            model = raking_calibration(base, matched).model_matrix
            raked = calibrate_design(design, model, margin_population(matched), cal.method)
        if not np.allclose(raked.weights, final, rtol=1e-6, atol=0):
            raise EstimationError(
                f"{source}: the weights in {spec.weights!r} are not the raked weights (were "
                "they trimmed after raking?); replicate weights cannot follow them")
        return raked
    calibration = replace(raking_calibration(base, matched), method=cal.method)
    return design.with_weights(final, calibration)


def _labels(frame: pd.DataFrame, column: str | None) -> pd.Series | None:
    return None if column is None else frame[column]


def _get(data: dict[str, object], key: str, where: str) -> object:
    if key not in data:
        raise EstimationError(f"design spec: {where} has no {key!r}")
    return data[key]
