"""manage.py small_area: Fay-Herriot small-area estimates (EBLUP, MSE, gamma) per domain.

Reads one row per domain, fits the model with analysis.core.small_area (equal to R sae 1.3
eblupFH/mseFH), writes ``domain, direct, variance, eblup, mse, gamma`` and prints the fit.
Bad input exits 2 naming the file, row and column, and writes nothing. Imports only the pure
core and the standard library, so it starts fast (no system checks).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from analysis.core.small_area import (
    AreaTable,
    Benchmarked,
    FayHerriotResult,
    SmallAreaError,
    SmoothedVariance,
    fay_herriot,
    model_matrix,
    ratio_benchmark,
    read_area_table,
    smooth_proportion_variance,
)

from .estimate import with_source, write_atomically

COLUMNS = ["domain", "direct", "variance", "eblup", "mse", "gamma"]


class Command(BaseCommand):
    help = ("Fay-Herriot small-area estimates from direct domain estimates and their design "
            "variances (one row per domain); writes domain, direct, variance, eblup, mse, gamma. "
            "A domain with a blank estimate and variance gets the synthetic estimate.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("data", help="area-level table (CSV, one row per domain)")
        parser.add_argument("--domain", required=True, help="domain label column")
        parser.add_argument("--estimate", required=True, help="direct estimate column")
        parser.add_argument("--variance", required=True, help="design variance column (> 0)")
        parser.add_argument("--aux", action="append", default=[], metavar="COL",
                            help="numeric auxiliary (repeat for more)")
        parser.add_argument("--factor", action="append", default=[], metavar="COL",
                            help="categorical auxiliary, treatment contrasts, first level as "
                                 "reference (repeat for more)")
        parser.add_argument("--method", required=True, choices=["reml", "ml", "fh"])
        parser.add_argument("--maxiter", type=int, default=100)
        parser.add_argument("--precision", type=float, default=1e-4)
        parser.add_argument("--smooth-variance", action="store_true",
                            help="replace the variances of proportions by a GVF on domain size "
                                 "and proportion (needs --size)")
        parser.add_argument("--size", metavar="COL", help="domain sample size column")
        parser.add_argument("--benchmark", metavar="COL",
                            help="domain count column for ratio benchmarking")
        parser.add_argument("--benchmark-total", type=float, metavar="X",
                            help="direct total the counts-weighted EBLUPs must add up to")
        parser.add_argument("--out", required=True, help="output CSV")

    def handle(self, *args, **options):
        source = options["data"]
        out = Path(options["out"])
        if options["smooth_variance"] and not options["size"]:
            raise CommandError("--smooth-variance needs --size COL", returncode=2)
        if (options["benchmark"] is None) != (options["benchmark_total"] is None):
            raise CommandError("--benchmark and --benchmark-total go together", returncode=2)
        if not out.parent.is_dir():
            raise CommandError(f"{out}: output directory does not exist", returncode=2)
        extra = [c for c in (options["size"], options["benchmark"]) if c]
        try:
            table = read_area_table(
                source, domain=options["domain"], estimate=options["estimate"],
                variance=options["variance"], aux=options["aux"], factors=options["factor"],
                extra=extra)
            smoothed = None
            variance = table.variance
            if options["smooth_variance"]:
                smoothed = smooth_proportion_variance(table.direct, table.variance,
                                                      table.extra[options["size"]])
                variance = smoothed.variance
            design = model_matrix(table.numeric, table.factors, n_rows=len(table.domains))
            result = fay_herriot(table.direct, variance, design, method=options["method"],
                                 domains=table.domains, maxiter=options["maxiter"],
                                 precision=options["precision"])
            benchmarked = None
            if options["benchmark"]:
                benchmarked = ratio_benchmark(result.eblup, table.extra[options["benchmark"]],
                                              options["benchmark_total"])
        except SmallAreaError as exc:
            raise CommandError(with_source(str(exc), source), returncode=2) from exc
        write_atomically(out, render_csv(result, table, smoothed, benchmarked))
        self.stdout.write(render_fit(result, smoothed, benchmarked, out))


def render_csv(result: FayHerriotResult, table: AreaTable, smoothed: SmoothedVariance | None,
               benchmarked: Benchmarked | None) -> str:
    columns = list(COLUMNS)
    extra: list[np.ndarray] = []
    if smoothed is not None:
        columns.append("direct_variance")
        extra.append(table.variance)
    if benchmarked is not None:
        columns.append("eblup_benchmarked")
        extra.append(benchmarked.estimates)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for i, domain in enumerate(result.domains):
        values = [result.direct[i], result.variance[i], result.eblup[i], result.mse[i],
                  result.gamma[i], *(column[i] for column in extra)]
        writer.writerow([domain, *(_number(v) for v in values)])
    return buffer.getvalue()


def render_fit(result: FayHerriotResult, smoothed: SmoothedVariance | None,
               benchmarked: Benchmarked | None, out: Path) -> str:
    sampled = int(result.sampled.sum())
    lines = [f"Fay-Herriot model fitted by {result.method.upper()} on {sampled} domains with a "
             f"sample ({len(result.domains) - sampled} synthetic only), "
             f"{result.iterations} iterations",
             f"{'term':<24} {'estimate':>14} {'std_error':>14} {'z_value':>10} {'p_value':>10}"]
    for c in result.coefficients:
        lines.append(f"{c.name:<24} {c.estimate:>14.8g} {c.std_error:>14.8g} "
                     f"{c.z_value:>10.4f} {c.p_value:>10.4g}")
    g = result.goodness
    lines.append(f"model variance: {result.model_variance:.10g}"
                 + (" (estimate was negative: set to 0, EBLUPs are synthetic)"
                    if result.model_variance == 0 else ""))
    lines.append(f"loglike: {g.loglike:.8g}  AIC: {g.aic:.8g}  BIC: {g.bic:.8g}  "
                 f"KIC: {g.kic:.8g}")
    lines.append(smoothed.describe() if smoothed is not None
                 else "variance: direct design variances as given")
    if benchmarked is not None:
        lines.append(benchmarked.describe() + " (column eblup_benchmarked)")
    lines.append(f"wrote {len(result.domains)} domains to {out}")
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    return "" if math.isnan(value) else repr(float(value))
