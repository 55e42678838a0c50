"""Benchmark: raking then proportions overall, by borough and by sector, on synthetic data.

Compares this project (analysis.core) with samplics and svy on the same data at 20,000 and
200,000 respondents: stratified by borough (33 strata), raked to borough (33), sector (10)
and size band (4), then three 0/1 proportions overall, by borough and by sector with
standard errors and 95% intervals. Times are for the whole process from an in-memory
table to the estimates (building each library's own data structure included).

    python benchmarks/bench_estimation.py [--sizes 20000 200000] [--repeat 3]

samplics and svy give fixed-weight (or R rake()-style) standard errors after raking; this
project gives R calibrate()'s calibration-aware ones, which is more work, not less."""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore")

from analysis.core import (  # noqa: E402
    domains_by,
    make_design,
    margins_from_frame,
    match_margins,
    rake,
    survey_proportion,
    whole_population,
)

BOROUGHS = [f"E09{i:06d}" for i in range(1, 34)]
SECTORS = list("CFGHIJKLMN")
SIZES = ["0-9", "10-49", "50-249", "250+"]
OUTCOMES = ["confident", "crime_victim", "online_victim"]
BLOCKS = [None, "borough", "sector"]


def synthetic_sample(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondents (borough, sector, size band, design weight, three 0/1 outcomes) and the
    population margins to rake to."""
    borough = rng.choice(BOROUGHS, n, p=_shares(33, rng))
    sector = rng.choice(SECTORS, n, p=_shares(10, rng))
    size = rng.choice(SIZES, n, p=[0.55, 0.3, 0.1, 0.05])
    weight = rng.uniform(20, 200, n) * (1 + (size == "0-9"))
    logit = -0.3 + 0.4 * (size == "250+") + rng.normal(0, 0.5, n)
    data = pd.DataFrame({"id": np.arange(n), "borough": borough, "sector": sector,
                         "size": size, "weight": weight})
    for k, outcome in enumerate(OUTCOMES):
        p = 1 / (1 + np.exp(-(logit - k * 0.7)))
        data[outcome] = (rng.random(n) < p).astype(np.int8)
    population = 1_000_000.0
    rows = []
    for variable, labels in (("borough", BOROUGHS), ("sector", SECTORS), ("size", SIZES)):
        shares = _shares(len(labels), rng)
        rows += [(variable, lab, population * s) for lab, s in zip(labels, shares, strict=True)]
    margins = pd.DataFrame(rows, columns=["variable", "category", "total"])
    return data, margins


def _shares(k: int, rng: np.random.Generator) -> np.ndarray:
    raw = rng.uniform(0.5, 1.5, k)
    return raw / raw.sum()


def run_ours(data: pd.DataFrame, margins: pd.DataFrame) -> pd.DataFrame:
    design = make_design(data["weight"], strata=data["borough"])
    raked = rake(data["weight"].to_numpy(), match_margins(data, margins_from_frame(margins)))
    design = design.with_weights(raked.weights, raked.calibration)
    frames = []
    for by in BLOCKS:
        domains = whole_population(design.n) if by is None else domains_by(data[by], by)
        for outcome in OUTCOMES:
            result = survey_proportion(design, data[outcome], domains, variable=outcome)
            frames.append(result.to_frame("logit"))
    return pd.concat(frames, ignore_index=True)


def run_svy(data: pd.DataFrame, margins: pd.DataFrame) -> list[object]:
    import polars as pl
    import svy

    sample = svy.Sample(pl.from_pandas(data), svy.Design(stratum="borough", wgt="weight"))
    controls = {v: dict(zip(g.category, g.total, strict=True))
                for v, g in margins.groupby("variable")}
    sample = sample.weighting.rake(controls=controls, tol=1e-8)
    out = []
    for by in BLOCKS:
        for outcome in OUTCOMES:
            out.append(sample.estimation.prop(outcome, by=by))
    return out


def run_samplics(data: pd.DataFrame, margins: pd.DataFrame) -> list[object]:
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam
    from samplics.weighting import SampleWeight

    controls = {v: dict(zip(g.category, g.total, strict=True))
                for v, g in margins.groupby("variable")}
    columns = {v: data[v].to_numpy() for v in controls}
    weights = SampleWeight().rake(samp_weight=data["weight"].to_numpy(), margins=columns,
                                  control=controls, tol=1e-8, max_iter=200)
    out = []
    for by in BLOCKS:
        for outcome in OUTCOMES:
            estimator = TaylorEstimator(PopParam.prop)
            estimator.estimate(y=data[outcome].to_numpy(), samp_weight=weights,
                               stratum=data["borough"].to_numpy(),
                               domain=None if by is None else data[by].to_numpy(),
                               remove_nan=False)
            out.append(estimator)
    return out


def best_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def check_agreement(data: pd.DataFrame, margins: pd.DataFrame) -> str:
    """Point estimates must agree across the three."""
    ours = run_ours(data, margins)
    peer = run_samplics(data, margins)[0]
    p_ours = ours.estimate[0]
    p_samplics = float(peer.point_est[1])
    return f"overall {OUTCOMES[0]}: ours {p_ours:.6f}, samplics {p_samplics:.6f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-samplics-above", type=int, default=10**9,
                        help="time samplics only up to this n (it is slow)")
    args = parser.parse_args()
    rng = np.random.default_rng(20240601)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; best of {args.repeat}")
    print("task: rake to borough (33), sector (10), size (4); 3 proportions overall, "
          "by borough, by sector (9 estimate sets, SE and CI)\n")
    results = {}
    for n in args.sizes:
        data, margins = synthetic_sample(n, rng)
        if n == args.sizes[0]:
            print(check_agreement(data, margins), "\n")
        times = {"ours": best_time(lambda d=data, m=margins: run_ours(d, m), args.repeat),
                 "svy": best_time(lambda d=data, m=margins: run_svy(d, m), args.repeat)}
        if n <= args.skip_samplics_above:
            times["samplics"] = best_time(lambda d=data, m=margins: run_samplics(d, m), 1)
        results[n] = times
        line = ", ".join(f"{name} {t:8.3f} s" for name, t in times.items())
        ratios = ", ".join(f"{name}/ours {t / times['ours']:6.1f}x"
                           for name, t in times.items() if name != "ours")
        print(f"n={n:>8,}: {line} | {ratios}")
    if len(args.sizes) > 1:
        small, large = args.sizes[0], args.sizes[-1]
        growth = results[large]["ours"] / results[small]["ours"]
        print(f"\nours: time x{growth:.1f} for n x{large / small:.0f} (linear would be "
              f"x{large / small:.0f})")
    print("\nnote: svy and samplics SEs after raking are not calibration-aware (svy follows "
          "R rake(), samplics treats raked weights as fixed); ours follow R calibrate().")


if __name__ == "__main__":
    main()
