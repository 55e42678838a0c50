"""What the small-area pages read: a wave's runs (which one publication uses), and one run's
diagnostics per measure: the fit (coefficients with SE, z and p; the model variance and
whether it is zero; the method; the variances used; the benchmarking factor), the three
plots, and the borough table (direct with its interval, EBLUP with EBLUP +/- z root MSE
clipped to [0, 1], gamma, what the rule publishes and why). Reads only."""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis import selectors
from analysis.core.small_area import PublicationRule, model_interval
from analysis.models import SmallAreaRun
from analysis.small_area_plots import Point, direct_model_plot, residual_plot, shrinkage_plot

METHOD_NAMES = {"reml": "REML (restricted maximum likelihood)", "ml": "ML (maximum likelihood)",
                "fh": "Fay-Herriot moment method"}


def wave_small_areas(wave) -> list[dict]:
    """The wave's small-area runs, newest first, each with its counts of what the rule
    publishes and whether it is the one publication uses (``latest_small_area``)."""
    chosen = selectors.latest_small_area(wave)
    runs = (SmallAreaRun.objects.filter(run__wave=wave)
            .select_related("run", "created_by", "borough_table", "chosen_by")
            .order_by("-created_at", "-pk"))
    out = []
    for small_area in runs:
        counts: dict[str, int] = {}
        for fit in small_area.fits.values():
            for source, count in (fit.get("counts") or {}).items():
                counts[source] = counts.get(source, 0) + int(count)
        spec = small_area.spec
        out.append({"run": small_area, "spec": spec,
                    "method": METHOD_NAMES.get(spec.get("method"), spec.get("method")),
                    "measures": [selectors.measure_label(m) for m in spec.get("measures", [])],
                    "counts": sorted(counts.items()),
                    "errors": sum(1 for f in small_area.fits.values() if "error" in f),
                    "published": chosen is not None and chosen.pk == small_area.pk,
                    "choosable": chosen is not None and chosen.pk != small_area.pk
                    and small_area.run_id == chosen.run_id})
    return out


@dataclass(frozen=True)
class MeasureDiagnostics:
    measure: str
    label: str
    fit: dict
    coefficients: list[dict]
    model_variance: float | None
    variance_zero: bool
    method: str
    rows: list[dict]
    plots: dict[str, str]


def run_measures(small_area: SmallAreaRun) -> list[tuple[str, str]]:
    return [(m, selectors.measure_label(m)) for m in small_area.spec.get("measures", [])]


def measure_diagnostics(small_area: SmallAreaRun, measure: str) -> MeasureDiagnostics:
    """One measure's diagnostics (the run's first measure for an unknown one)."""
    measures = [m for m, _ in run_measures(small_area)]
    if measure not in measures:
        measure = measures[0] if measures else ""
    fit = dict(small_area.fits.get(measure) or {})
    rule = PublicationRule.from_dict(small_area.spec.get("rule"))
    a = fit.get("model_variance")
    rows = [_row(row, a, rule.z) for row in selectors.small_area_rows(small_area, measure)]
    label = selectors.measure_label(measure)
    return MeasureDiagnostics(
        measure=measure, label=label, fit=fit, coefficients=list(fit.get("coefficients", [])),
        model_variance=a, variance_zero=a is not None and a <= 0.0,
        method=METHOD_NAMES.get(fit.get("method") or small_area.spec.get("method"), ""),
        rows=rows, plots=_plots(rows, label))


def _row(row: dict, a: float | None, z: float) -> dict:
    """A borough's row with its standardised residual and the EBLUP's clipped interval."""
    residual = None
    psi = row.get("model_variance_input")
    if None not in (a, psi, row.get("direct"), row.get("synthetic")) and a + psi > 0:
        residual = (row["direct"] - row["synthetic"]) / math.sqrt(a + psi)
    low = high = None
    if row.get("eblup") is not None and row.get("mse") is not None:
        lows, highs = model_interval([row["eblup"]], [row["mse"]], z)
        low, high = float(lows[0]), float(highs[0])
    return {**row, "residual": residual, "eblup_low": low, "eblup_high": high}


def _plots(rows: list[dict], label: str) -> dict[str, str]:
    names = [r["borough_name"] for r in rows]
    return {
        "residuals": residual_plot(
            [Point(name, r["residual"], None) for name, r in zip(names, rows, strict=True)],
            f"{label}: standardised residuals by borough"),
        "shrinkage": shrinkage_plot(
            [Point(name, float(r["n"]), r["gamma"]) for name, r in zip(names, rows, strict=True)],
            f"{label}: shrinkage factor gamma against the borough's sample size"),
        "direct_model": direct_model_plot(
            [Point(name, r["direct"], r["eblup"]) for name, r in zip(names, rows, strict=True)],
            f"{label}: direct against model-based estimate"),
    }


def publication_state(small_area: SmallAreaRun) -> dict:
    """Whether publication uses this run (``latest_small_area``), and whether it can be
    chosen instead (it is made from the wave's latest accepted weighting run)."""
    chosen = selectors.latest_small_area(small_area.run.wave)
    published = chosen is not None and chosen.pk == small_area.pk
    return {"published": published, "choosable": chosen is not None and not published
            and chosen.run_id == small_area.run_id}
