"""Weight diagnostics: Kish's design effect from weighting, effective n, range, CV."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class WeightDiagnostics:
    n: int
    total: float
    min: float
    max: float
    mean: float
    cv: float
    deff_weighting: float
    effective_n: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def weight_diagnostics(weights: object) -> WeightDiagnostics:
    """deff_w = n sum(w^2) / sum(w)^2 = 1 + CV^2 (CV with the population SD); n_eff = n/deff."""
    w = np.asarray(weights, dtype=float)
    n = w.shape[0]
    total = float(w.sum())
    deff = float(n * np.sum(w * w) / total**2)
    mean = total / n
    return WeightDiagnostics(n, total, float(w.min()), float(w.max()), mean,
                             float(w.std() / mean), deff, n / deff)
