"""Design weights and the adjustments before calibration: unknown eligibility (AAPOR e)
and non-response within weighting classes."""

from __future__ import annotations

import numpy as np

from .errors import WeightingError
from .grouping import factor_codes

RESPONDENT = "respondent"
NONRESPONDENT = "nonrespondent"
INELIGIBLE = "ineligible"
UNKNOWN = "unknown"
STATUSES = (RESPONDENT, NONRESPONDENT, INELIGIBLE, UNKNOWN)


def design_weights(inclusion_probabilities: object) -> np.ndarray:
    """1 / pi; every probability must be in (0, 1]."""
    pi = np.asarray(inclusion_probabilities, dtype=float)
    bad = np.flatnonzero(~np.isfinite(pi) | (pi <= 0) | (pi > 1))
    if bad.size:
        raise WeightingError(f"inclusion probability at row {int(bad[0]) + 1} is "
                             f"{pi[bad[0]]!r}; it must be in (0, 1]")
    return 1.0 / pi


def _classes(classes: object | None, n: int) -> tuple[np.ndarray, list[str]]:
    if classes is None:
        return np.zeros(n, dtype=np.int64), [""]
    codes, labels = factor_codes(classes)
    if np.any(codes < 0):
        raise WeightingError(f"weighting class missing at row {int(np.argmin(codes)) + 1}")
    return codes, labels


def _status(status: object, n: int) -> np.ndarray:
    values = np.asarray(status, dtype=object)
    if values.shape != (n,):
        raise WeightingError(f"status: {values.size} values for {n} weights")
    bad = [i for i, s in enumerate(values) if s not in STATUSES]
    if bad:
        raise WeightingError(f"status at row {bad[0] + 1} is {values[bad[0]]!r}; "
                             f"expected one of {', '.join(STATUSES)}")
    return values


def adjust_unknown_eligibility(weights: object, status: object, classes: object | None = None,
                               e: float | None = None) -> np.ndarray:
    """Give the weight of unknown-eligibility cases to the known cases of their class: a share
    e (AAPOR's estimated eligibility rate among resolved cases, weighted, per class unless
    given) to the eligible cases, the rest to the ineligible cases. Unknown cases get 0."""
    w = np.asarray(weights, dtype=float)
    st = _status(status, w.shape[0])
    codes, labels = _classes(classes, w.shape[0])
    k = len(labels)
    eligible = (st == RESPONDENT) | (st == NONRESPONDENT)
    ineligible = st == INELIGIBLE
    unknown = st == UNKNOWN
    w_el = np.bincount(codes, weights=w * eligible, minlength=k)
    w_in = np.bincount(codes, weights=w * ineligible, minlength=k)
    w_un = np.bincount(codes, weights=w * unknown, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.full(k, float(e)) if e is not None else w_el / (w_el + w_in)
    need = w_un > 0
    no_known = need & ~np.isfinite(rate)
    if no_known.any():
        raise WeightingError(f"weighting class {labels[int(np.flatnonzero(no_known)[0])]!r} "
                             "has cases of unknown eligibility but no resolved cases")
    if e is not None and not 0 <= e <= 1:
        raise WeightingError(f"eligibility rate e must be in [0, 1], not {e}")
    with np.errstate(divide="ignore", invalid="ignore"):
        f_el = np.where(need, (w_el + rate * w_un) / w_el, 1.0)
        f_in = np.where(need, (w_in + (1 - rate) * w_un) / w_in, 1.0)
    no_eligible = need & (rate > 0) & (w_el == 0)
    if no_eligible.any():
        raise WeightingError(f"weighting class {labels[int(np.flatnonzero(no_eligible)[0])]!r}"
                             " has no eligible cases to carry the unknown cases' weight")
    out = np.where(eligible, w * f_el[codes], np.where(ineligible, w * f_in[codes], w))
    return np.where(unknown, 0.0, np.nan_to_num(out))


def adjust_nonresponse(weights: object, status: object, classes: object | None = None
                       ) -> np.ndarray:
    """Within each class, respondents carry the weight of the eligible non-respondents
    (factor = eligible weight / respondent weight); non-respondents get 0. Ineligible and
    unknown cases keep their weight."""
    w = np.asarray(weights, dtype=float)
    st = _status(status, w.shape[0])
    codes, labels = _classes(classes, w.shape[0])
    k = len(labels)
    resp = st == RESPONDENT
    eligible = resp | (st == NONRESPONDENT)
    w_resp = np.bincount(codes, weights=w * resp, minlength=k)
    w_el = np.bincount(codes, weights=w * eligible, minlength=k)
    empty = (w_el > 0) & (w_resp <= 0)
    if empty.any():
        raise WeightingError(f"weighting class {labels[int(np.flatnonzero(empty)[0])]!r} has "
                             "eligible cases but no respondents; merge it with another class")
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(w_resp > 0, w_el / w_resp, 1.0)
    return np.where(resp, w * factor[codes], np.where(st == NONRESPONDENT, 0.0, w))
