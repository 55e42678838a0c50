"""The publication rule for domain (borough) proportions: direct, model-based or suppressed.

For each domain, in this order:

1. ``direct``: the direct estimate is published where its precision meets the rule: its CV
   (SE / estimate) at most ``direct_threshold`` (default 0.20), or, with
   ``direct_measure="width"``, the width of its 95% interval at most ``direct_threshold``
   (in proportion units: 0.20 is 20 percentage points). Its interval is the one given (the
   estimator's logit interval) or, if none is given, estimate +/- z SE clipped to [0, 1].
2. ``model-based``: else the Fay-Herriot EBLUP where its relative root MSE
   (sqrt(MSE) / EBLUP) is at most ``model_threshold`` (default 0.25); its interval is
   EBLUP +/- z sqrt(MSE) (z = 1.96), clipped to [0, 1].
3. ``suppressed``: else nothing is published (estimate and interval NaN).

A direct estimate of 0 has an infinite CV and an EBLUP <= 0 an infinite relative root MSE:
neither passes. A domain with no sample has no direct estimate and can only be model-based
(synthetic). Each domain gets a method note in words; ``PublicationRule.describe()`` states
the rule for the notes. The direct source may be labelled ``pooled`` when the direct
estimates pool several waves. Pure numpy; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import SmallAreaError

DIRECT, MODEL_BASED, SUPPRESSED, POOLED = "direct", "model-based", "suppressed", "pooled"
SOURCES = (DIRECT, POOLED, MODEL_BASED, SUPPRESSED)
DIRECT_MEASURES = ("cv", "width")


@dataclass(frozen=True)
class PublicationRule:
    """Thresholds of the rule; ``direct_label`` is ``direct`` or ``pooled``."""

    direct_measure: str = "cv"
    direct_threshold: float = 0.20
    model_threshold: float = 0.25
    z: float = 1.96
    direct_label: str = DIRECT

    def __post_init__(self) -> None:
        if self.direct_measure not in DIRECT_MEASURES:
            raise SmallAreaError(f"direct_measure must be one of {', '.join(DIRECT_MEASURES)}, "
                                 f"not {self.direct_measure!r}")
        for name in ("direct_threshold", "model_threshold", "z"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and np.isfinite(value) and value > 0):
                raise SmallAreaError(f"{name} must be a number > 0, not {value!r}")
        if self.direct_label not in (DIRECT, POOLED):
            raise SmallAreaError(f"direct_label must be {DIRECT!r} or {POOLED!r}, "
                                 f"not {self.direct_label!r}")

    def as_dict(self) -> dict[str, object]:
        return {"direct_measure": self.direct_measure,
                "direct_threshold": float(self.direct_threshold),
                "model_threshold": float(self.model_threshold), "z": float(self.z),
                "direct_label": self.direct_label}

    @classmethod
    def from_dict(cls, data: dict[str, object] | None) -> PublicationRule:
        data = dict(data or {})
        unknown = sorted(set(data) - set(cls().as_dict()))
        if unknown:
            raise SmallAreaError(f"publication rule: unknown option(s) {', '.join(unknown)}")
        try:
            numbers = {k: float(data[k]) for k in ("direct_threshold", "model_threshold", "z")
                       if k in data}
        except (TypeError, ValueError) as exc:
            raise SmallAreaError(f"publication rule: thresholds must be numbers ({exc})")
        return cls(**{**data, **numbers})  # type: ignore[arg-type]

    def describe(self) -> str:
        if self.direct_measure == "cv":
            direct = f"its CV is at most {self.direct_threshold:.0%}"
        else:
            direct = (f"its 95% interval is at most {self.direct_threshold * 100:.3g} "
                      "percentage points wide")
        return (f"The {self.direct_label} estimate is published where {direct}; else the "
                "model-based (Fay-Herriot EBLUP) estimate where its relative root MSE is at "
                f"most {self.model_threshold:.0%}, with the interval EBLUP +/- {self.z:g} "
                "root MSE clipped to [0, 1]; else the estimate is suppressed.")


@dataclass(frozen=True, eq=False)
class Publication:
    """Per domain: source (direct/pooled, model-based, suppressed), the published estimate
    and interval (NaN when suppressed), the direct CV and interval width, the model's
    relative root MSE, and a method note. Arrays are read-only."""

    rule: PublicationRule
    source: tuple[str, ...]
    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    cv: np.ndarray
    width: np.ndarray
    rrmse: np.ndarray
    notes: tuple[str, ...]

    def __post_init__(self) -> None:
        for name in ("estimate", "low", "high", "cv", "width", "rrmse"):
            getattr(self, name).setflags(write=False)

    def counts(self) -> dict[str, int]:
        return {s: self.source.count(s) for s in SOURCES if s in self.source}


def model_interval(eblup: np.ndarray, mse: np.ndarray, z: float = 1.96
                   ) -> tuple[np.ndarray, np.ndarray]:
    """EBLUP +/- z root MSE, clipped to [0, 1]."""
    e = np.asarray(eblup, dtype=float)
    half = z * np.sqrt(np.asarray(mse, dtype=float))
    return np.clip(e - half, 0.0, 1.0), np.clip(e + half, 0.0, 1.0)


def publication_rule(direct: np.ndarray, se: np.ndarray, eblup: np.ndarray, mse: np.ndarray,
                     rule: PublicationRule | None = None, *,
                     direct_low: np.ndarray | None = None,
                     direct_high: np.ndarray | None = None) -> Publication:
    """Apply the rule to every domain (NaN direct and SE: no sample; NaN EBLUP: no model)."""
    rule = rule or PublicationRule()
    y = np.asarray(direct, dtype=float)
    s = np.asarray(se, dtype=float)
    e = np.asarray(eblup, dtype=float)
    m = np.asarray(mse, dtype=float)
    if not y.shape == s.shape == e.shape == m.shape or y.ndim != 1:
        raise SmallAreaError("direct, se, eblup and mse must have one value per domain")
    with np.errstate(invalid="ignore"):
        if np.any(s < 0) or np.any(m < 0):
            raise SmallAreaError("standard errors and MSEs must not be negative")
    if (direct_low is None) != (direct_high is None):
        raise SmallAreaError("give both ends of the direct interval or neither")
    if direct_low is None:
        d_low = np.clip(y - rule.z * s, 0.0, 1.0)
        d_high = np.clip(y + rule.z * s, 0.0, 1.0)
    else:
        d_low = np.asarray(direct_low, dtype=float)
        d_high = np.asarray(direct_high, dtype=float)
        if d_low.shape != y.shape or d_high.shape != y.shape:
            raise SmallAreaError("the direct interval must have one value per domain")
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(y > 0, s / y, np.inf)
        rrmse = np.where(e > 0, np.sqrt(m) / e, np.inf)
    cv = np.where(np.isnan(y) | np.isnan(s), np.nan, cv)
    rrmse = np.where(np.isnan(e) | np.isnan(m), np.nan, rrmse)
    width = d_high - d_low
    measure = cv if rule.direct_measure == "cv" else width
    with np.errstate(invalid="ignore"):
        direct_ok = np.isfinite(y) & np.isfinite(measure) & (measure <= rule.direct_threshold)
        model_ok = ~direct_ok & np.isfinite(e) & np.isfinite(rrmse) & (
            rrmse <= rule.model_threshold)
    m_low, m_high = model_interval(e, m, rule.z)
    estimate = np.where(direct_ok, y, np.where(model_ok, e, np.nan))
    low = np.where(direct_ok, d_low, np.where(model_ok, m_low, np.nan))
    high = np.where(direct_ok, d_high, np.where(model_ok, m_high, np.nan))
    sources, notes = [], []
    for i in range(y.size):
        if direct_ok[i]:
            sources.append(rule.direct_label)
        elif model_ok[i]:
            sources.append(MODEL_BASED)
        else:
            sources.append(SUPPRESSED)
        notes.append(_note(rule, sources[i], cv[i], width[i], rrmse[i], np.isnan(y[i])))
    return Publication(rule, tuple(sources), estimate, low, high, cv, width, rrmse,
                       tuple(notes))


def _note(rule: PublicationRule, source: str, cv: float, width: float, rrmse: float,
          unsampled: bool) -> str:
    if unsampled:
        direct = "no sample, so no direct estimate"
    elif rule.direct_measure == "cv":
        direct = f"{rule.direct_label} CV {_pct(cv)}"
    else:
        direct = f"{rule.direct_label} 95% interval {_points(width)} wide"
    model = (f"relative root MSE {_pct(rrmse)}" if np.isfinite(rrmse) or np.isinf(rrmse)
             else "no model-based estimate")
    if source in (DIRECT, POOLED):
        limit = (f"{rule.direct_threshold:.0%}" if rule.direct_measure == "cv"
                 else _points(rule.direct_threshold))
        return f"{source.capitalize()} survey estimate: {direct} (at most {limit})."
    if source == MODEL_BASED:
        return (f"Model-based estimate (Fay-Herriot EBLUP): {direct} fails the rule; "
                f"{model} (at most {rule.model_threshold:.0%}); interval EBLUP +/- "
                f"{rule.z:g} root MSE.")
    return f"Suppressed: {direct} and {model} both fail the rule."


def _pct(value: float) -> str:
    return "infinite" if np.isinf(value) else f"{value:.1%}"


def _points(value: float) -> str:
    return f"{value * 100:.1f} percentage points"
