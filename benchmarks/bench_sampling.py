"""Benchmark: stratification, allocation and PRN selection from a 1,000,000-business frame.

Run: python benchmarks/bench_sampling.py [--size 1000000] [--n 1600]
Prints time and peak memory of draw_sample (target: under 3 s and under 1 GB) and ratios
against peers measured in the same run, given the same strata and allocation:
pandas groupby().apply(sample(n_h)) (naive stratified SRSWOR), and samplics' SampleSelection
(on a 100,000-business subset: it takes over a minute on the full frame).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sampling.core import (  # noqa: E402
    SampleDesign,
    build_strata,
    draw_sample,
    make_synthetic_frame,
    permanent_random_numbers,
    select_by_prn,
    validate_frame,
)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def peak_mib(function, *args, **kwargs) -> float:
    tracemalloc.start()
    function(*args, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def pandas_peer(frame: pd.DataFrame, labels: pd.Series, sizes: dict[str, int]) -> pd.DataFrame:
    grouped = frame.assign(stratum=labels.to_numpy()).groupby("stratum", group_keys=False)
    return grouped.apply(lambda g: g.sample(n=sizes[g.name], random_state=7))


def samplics_peer(frame: pd.DataFrame, labels: pd.Series, sizes: dict[str, int]):
    from samplics.sampling import SampleSelection
    from samplics.utils.types import SelectMethod

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        selection = SampleSelection(method=SelectMethod.srs_wor, strat=True, wr=False)
        return selection.select(frame["reference"].to_numpy(), sizes, labels.to_numpy(dtype=str))


def compare_selection(frame: pd.DataFrame, n: int, peer) -> tuple[float, float]:
    """Best-of-3 time of our PRN selection and one run of `peer`, same strata and n_h."""
    design = SampleDesign(n=n, seed=7)
    result = draw_sample(frame, design)
    strata = build_strata(frame, design.strata)
    sizes = dict(zip(result.allocation["stratum"], result.allocation["allocated"], strict=True))
    size_array = result.allocation["allocated"].to_numpy()

    def our_selection():
        prn = permanent_random_numbers(frame["reference"], 7)
        return select_by_prn(strata.codes, size_array, prn)

    our_selection()
    ours = min(timed(our_selection)[1] for _ in range(3))
    _, theirs = timed(peer, frame, strata.labels, sizes)
    return ours, theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--n", type=int, default=1600)
    parser.add_argument("--samplics-size", type=int, default=100_000,
                        help="frame size for the (slow) samplics peer; 0 to skip")
    args = parser.parse_args()

    raw, t_generate = timed(make_synthetic_frame, args.size, 1)
    frame, t_validate = timed(validate_frame, raw, file="synthetic")
    del raw
    print(f"frame: {len(frame):,} businesses; generated in {t_generate:.2f} s, "
          f"imported/validated in {t_validate:.2f} s")

    results = {}
    for allocation in ("proportional", "neyman", "compromise"):
        design = SampleDesign(n=args.n, allocation=allocation, seed=7, replicates=10)
        draw_sample(frame, design)  # warm-up
        times = [timed(draw_sample, frame, design)[1] for _ in range(3)]
        result = draw_sample(frame, design)
        peak = peak_mib(draw_sample, frame, design)
        results[allocation] = min(times)
        verdict = "OK" if min(times) < 3 and peak < 1024 else "MISSED TARGET"
        print(f"draw_sample {allocation:<12}: {min(times):.3f} s (best of 3), peak traced "
              f"memory {peak:.0f} MiB, {len(result.allocation)} strata, "
              f"weights sum {result.sample['design_weight'].sum():,.1f} [{verdict}]")

    # Selection alone, same strata and allocation for us and for the peers.
    ours, naive = compare_selection(frame, args.n, pandas_peer)
    print(f"selection only (PRN hash + select), {len(frame):,} businesses: {ours:.3f} s")
    print(f"peer pandas groupby().apply(sample(n_h)): {naive:.3f} s -> ours is "
          f"{naive / ours:.1f}x faster (selection); whole draw_sample "
          f"{naive / results['proportional']:.1f}x")
    if args.samplics_size:
        subset = frame.iloc[: args.samplics_size].reset_index(drop=True)
        try:
            ours_small, peer = compare_selection(subset, args.n, samplics_peer)
            print(f"peer samplics SampleSelection(srs_wor, strat=True) on the first "
                  f"{len(subset):,} businesses: {peer:.3f} s vs ours {ours_small:.3f} s -> "
                  f"ours is {peer / ours_small:.1f}x faster")
        except Exception as exc:  # a peer failing must not hide our figures
            print(f"peer samplics failed: {type(exc).__name__}: {exc}")

    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (includes building the frame): {maxrss:.0f} MiB; pid {os.getpid()}")


if __name__ == "__main__":
    main()
