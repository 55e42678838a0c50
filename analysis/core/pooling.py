"""Pooling the last k waves of the same measure (rolling four quarters, as MOPAC's Public
Attitude Survey reports), with the variance of the pooled estimate from the waves' designs.

The pooled design stacks the waves' respondents; every weight is divided by k, so the pooled
weights add up to the average of the waves' populations and the pooled proportion of a
domain is sum_w sum_i (w_i / k) y_i / sum_w sum_i (w_i / k) (with each wave weighted to the
same population, the plain average of the waves' estimates). Estimates on it are the usual
ones (``estimators.estimate``: domains on the whole stacked design), so R survey gives the
same numbers for ``svydesign(ids, strata, weights = ~w / k, data = stacked)`` with
``svymean``/``svytotal``/``svyby`` (tests/analysis/data/pooling).

How the waves are joined, ``overlap``:

- ``"independent"`` (the default): the waves are independent samples. Strata are
  wave x stratum and each wave keeps its own PSUs (and fpc), so the pooled variance is the
  sum of the waves' variance contributions. A business interviewed in two waves is then two
  independent draws; its answers are positively correlated in practice, so the variance is
  somewhat understated where the overlap is large. The overlap is counted and stated
  (``Pooled.overlap_units`` and ``overlap_rows``, in ``note()``).
- ``"cluster"``: the business is the PSU across waves (ultimate cluster), within its sampling
  stratum (not crossed with wave). A business in two waves contributes the sum of its scores,
  so the covariance between its answers is in the variance. The business must be in the same
  stratum in every wave (else an error names it); the fpc is not used (with-replacement
  variance, conservative). Needs ``units`` and ``strata`` labels for every wave.

A calibrated (raked) wave keeps its calibration: the stacked calibration model is
block-diagonal (each wave's margins are its own), so the calibration-aware residuals are the
wave's own; a wave without calibration contributes rows of zeros. That equals R's
``calibrate()`` of the stacked design to the wave x category totals / k (tested, both
treatments of the overlap). Waves with replicate weights cannot be pooled (rebuild their
designs without replicates). Pure numpy/scipy; no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .design import Calibration, Design, make_design
from .domains import Domains, domains_by, whole_population
from .errors import EstimationError
from .estimates import Estimates
from .estimators import estimate

OVERLAP_TREATMENTS = ("independent", "cluster")


@dataclass(frozen=True, eq=False)
class WaveSample:
    """One wave's respondents: their design, the measure and, per row, the domain label (e.g.
    borough), the business identifier and the sampling stratum's label (for ``cluster``)."""

    label: str
    design: Design
    values: np.ndarray
    domains: Sequence[object] | np.ndarray | None = None
    units: Sequence[object] | np.ndarray | None = None
    strata: Sequence[object] | np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class Pooled:
    """The stacked design of k waves, the stacked values and domain labels, which wave each
    row came from, and the panel overlap (businesses in more than one wave, and their rows)."""

    design: Design
    values: np.ndarray
    domains: np.ndarray | None
    wave: np.ndarray
    waves: tuple[str, ...]
    overlap: str
    overlap_units: int | None
    overlap_rows: int | None

    @property
    def k(self) -> int:
        return len(self.waves)

    def note(self) -> str:
        """The method note: which waves, how weighted, and how the overlap is treated."""
        waves = ", ".join(self.waves)
        text = (f"pooled over {self.k} waves ({waves}): respondents stacked, each wave's "
                f"weights divided by {self.k}")
        if self.overlap == "independent":
            text += "; waves taken as independent samples (strata = wave x stratum)"
            if self.overlap_units is None:
                text += "; businesses in more than one wave not counted (no identifiers)"
            else:
                text += (f"; {self.overlap_units} businesses answered in more than one wave "
                         f"({self.overlap_rows} of {self.design.n} rows), treated as "
                         "independent, which understates the variance a little")
        else:
            text += (f"; each business one cluster across waves within its stratum "
                     f"({self.overlap_units} businesses answered in more than one wave, "
                     f"{self.overlap_rows} of {self.design.n} rows), no fpc")
        return text

    def estimate(self, statistic: str = "proportion", by: str | None = None,
                 variable: str = "") -> Estimates:
        """The statistic for the whole population, or for each domain when ``by`` is given
        (domains on the whole stacked design)."""
        domains: Domains = whole_population(self.design.n)
        if by is not None:
            if self.domains is None:
                raise EstimationError("pooled waves: no domain labels were given")
            domains = domains_by(self.domains, by)
        return estimate(self.design, statistic, self.values, domains, variable=variable)


def pool_waves(waves: Sequence[WaveSample], *, overlap: str = "independent") -> Pooled:
    """Stack the waves into one design (see the module's docstring)."""
    if overlap not in OVERLAP_TREATMENTS:
        raise EstimationError(f"overlap must be one of {', '.join(OVERLAP_TREATMENTS)}, "
                              f"not {overlap!r}")
    if not waves:
        raise EstimationError("pooling needs at least one wave")
    labels = [str(w.label) for w in waves]
    if len(set(labels)) != len(labels):
        raise EstimationError(f"pooling: wave labels repeat ({', '.join(labels)})")
    k = len(waves)
    for wave in waves:
        if wave.design.replicates is not None:
            raise EstimationError(f"wave {wave.label}: a design with replicate weights cannot "
                                  "be pooled; build it without replicates")
        _check_length(wave, "values", wave.values)
        for name in ("domains", "units", "strata"):
            if getattr(wave, name) is not None:
                _check_length(wave, name, getattr(wave, name))
    with_domains = [w.domains is not None for w in waves]
    if any(with_domains) and not all(with_domains):
        raise EstimationError("pooling: give domain labels for every wave or for none")
    values = np.concatenate([np.asarray(w.values, dtype=float) for w in waves])
    domains = (np.concatenate([np.asarray(w.domains, dtype=object) for w in waves])
               if all(with_domains) else None)
    wave_of_row = np.repeat(np.arange(k), [w.design.n for w in waves])
    units = _units(waves)
    overlap_units = overlap_rows = None
    if units is not None:
        overlap_units, overlap_rows = _overlap(units, wave_of_row)
    if overlap == "independent":
        design = _stack_independent(waves)
    else:
        if units is None or any(w.strata is None for w in waves):
            raise EstimationError("overlap 'cluster' needs the business (units) and the "
                                  "stratum label (strata) of every row of every wave")
        design = _stack_clustered(waves, units)
    return Pooled(design, values, domains, wave_of_row, tuple(labels), overlap,
                  overlap_units, overlap_rows)


def _check_length(wave: WaveSample, name: str, values: object) -> None:
    size = len(values)  # type: ignore[arg-type]
    if size != wave.design.n:
        raise EstimationError(f"wave {wave.label}: {size} {name} for a design of "
                              f"{wave.design.n} rows")


def _units(waves: Sequence[WaveSample]) -> np.ndarray | None:
    if any(w.units is None for w in waves):
        return None
    units = np.concatenate([np.asarray(w.units, dtype=object) for w in waves])
    missing = [i for i, u in enumerate(units) if u is None or u == ""]
    if missing:
        raise EstimationError(f"pooling: row {missing[0] + 1} of the stacked waves has no "
                              "business identifier")
    return np.asarray([str(u) for u in units], dtype=object)


def _overlap(units: np.ndarray, wave_of_row: np.ndarray) -> tuple[int, int]:
    """Businesses with rows in more than one wave, and how many rows they have."""
    _, unit_code = np.unique(units, return_inverse=True)
    pairs = np.unique(np.column_stack([unit_code, wave_of_row]), axis=0)
    waves_per_unit = np.bincount(pairs[:, 0])
    repeated = waves_per_unit > 1
    return int(repeated.sum()), int(repeated[unit_code].sum())


def _stack_independent(waves: Sequence[WaveSample]) -> Design:
    """Strata wave x stratum, each wave's own PSUs and fpc; weights / k."""
    k = len(waves)
    stratum, psu, psu_stratum, n_psu, fpc = [], [], [], [], []
    stratum_offset = psu_offset = 0
    for wave in waves:
        d = wave.design
        stratum.append(d.stratum + stratum_offset)
        psu.append(d.psu + psu_offset)
        psu_stratum.append(d.psu_stratum + stratum_offset)
        n_psu.append(d.n_psu)
        fpc.append(d.fpc_factor)
        stratum_offset += d.n_strata
        psu_offset += int(d.psu_stratum.shape[0])
    first = waves[0].design
    lonely = {w.design.lonely_psu for w in waves}
    if len(lonely) > 1:
        raise EstimationError(f"pooling: the waves treat lonely PSUs differently "
                              f"({', '.join(sorted(lonely))})")
    weights = np.concatenate([w.design.weights for w in waves]) / k
    return Design(weights, np.concatenate(stratum), np.concatenate(psu),
                  np.concatenate(psu_stratum), np.concatenate(n_psu), np.concatenate(fpc),
                  all(w.design.psu_is_row for w in waves), _stacked_calibration(waves),
                  first.lonely_psu)


def _stack_clustered(waves: Sequence[WaveSample], units: np.ndarray) -> Design:
    """Strata the sampling stratum, PSU the business across waves, no fpc; weights / k."""
    k = len(waves)
    strata = np.asarray([str(s) for w in waves for s in w.strata], dtype=object)
    _, unit_code = np.unique(units, return_inverse=True)
    _, stratum_code = np.unique(strata, return_inverse=True)
    first_stratum = np.full(unit_code.max() + 1, -1)
    first_stratum[unit_code[::-1]] = stratum_code[::-1]
    moved = np.flatnonzero(first_stratum[unit_code] != stratum_code)
    if moved.size:
        i = int(moved[0])
        raise EstimationError(f"pooling: business {units[i]} is in stratum {strata[i]} in "
                              f"one wave and another stratum in an other; a business must "
                              "keep its stratum to be a cluster across waves (or pool with "
                              "overlap 'independent')")
    weights = np.concatenate([w.design.weights for w in waves]) / k
    design = make_design(weights, strata=strata, cluster=units,
                         lonely_psu=waves[0].design.lonely_psu)
    calibration = _stacked_calibration(waves)
    return design if calibration is None else design.with_weights(weights, calibration)


def _stacked_calibration(waves: Sequence[WaveSample]) -> Calibration | None:
    """Block-diagonal calibration model of the calibrated waves (zero rows for the others)."""
    if all(w.design.calibration is None for w in waves):
        return None
    k = len(waves)
    blocks, base = [], []
    for wave in waves:
        cal = wave.design.calibration
        if cal is None:
            blocks.append(sparse.csr_matrix((wave.design.n, 0)))
            base.append(wave.design.weights / k)
        else:
            blocks.append(sparse.csr_matrix(cal.model_matrix))
            base.append(np.asarray(cal.base_weights, dtype=float) / k)
    model = sparse.block_diag(blocks, format="csr")
    methods = sorted({w.design.calibration.method for w in waves
                      if w.design.calibration is not None})
    return Calibration(model, np.concatenate(base), "+".join(methods), 0)
