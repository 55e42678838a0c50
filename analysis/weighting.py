"""Weighting a wave: design weights, eligibility and non-response adjustment, raking to the
frame's margins, trimming. Pure functions over the case table (no Django)."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import core

DEFAULT_RAKE_VARIABLES = ("borough", "sector_group", "size_band")


@dataclass(frozen=True)
class CaseTableDesign:
    """The case table's design columns: the run's design spec names them."""

    weights: str = "final_weight"
    weights_before_calibration: str = "adjusted_weight"
    strata: str = "stratum"


DESIGN = CaseTableDesign()


@dataclass(frozen=True)
class WeightingSpec:
    classes: str = "stratum"
    fallback_classes: str = "borough"
    rake_variables: tuple[str, ...] = DEFAULT_RAKE_VARIABLES
    median_cap: float | None = 6.0
    epsilon: float = 1e-8

    def as_dict(self) -> dict:
        return {"classes": self.classes, "fallback_classes": self.fallback_classes,
                "rake_variables": list(self.rake_variables), "median_cap": self.median_cap,
                "epsilon": self.epsilon}


@dataclass
class WeightingResult:
    cases: pd.DataFrame  # case table with adjusted_weight and final_weight
    diagnostics: dict = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    design: dict = field(default_factory=dict)  # core.DesignSpec.to_dict(): rebuilds the design


def weighting_classes(cases: pd.DataFrame, spec: WeightingSpec) -> tuple[pd.Series, list[str]]:
    """The spec's classes. A class that cannot carry its own adjustment (eligible cases but
    no respondent, or unknown-eligibility cases but none resolved) joins its fallback class
    (e.g. its borough), and a fallback class that still cannot joins the class with the most
    respondents, so that no weight is lost. Returns the classes and the ones merged."""
    classes = cases[spec.classes].astype(str)
    merged = _classes_needing_merge(cases, classes)
    fallback = "fallback:" + cases[spec.fallback_classes].astype(str)
    classes = classes.where(~classes.isin(merged), fallback)
    still = _classes_needing_merge(cases, classes)
    if still:
        responded = cases["status"].eq("respondent")
        largest = responded.groupby(classes).sum().idxmax()
        classes = classes.where(~classes.isin(still), largest)
        merged += still
    return classes, sorted(merged)


def _classes_needing_merge(cases: pd.DataFrame, classes: pd.Series) -> list[str]:
    status = cases["status"]
    counts = pd.DataFrame({
        "c": classes, "r": status.eq("respondent"),
        "e": status.isin(["respondent", "nonrespondent"]),
        "k": status.isin(["respondent", "nonrespondent", "ineligible"]),
        "u": status.eq("unknown"),
    }).groupby("c").sum()
    broken = ((counts["e"] > 0) & (counts["r"] == 0)) | ((counts["u"] > 0) & (counts["k"] == 0))
    return list(counts.index[broken])


def weight_cases(cases: pd.DataFrame, population: dict[str, dict[str, float]],
                 spec: WeightingSpec) -> WeightingResult:
    """`population`: frame totals per category of each raking variable."""
    if not cases["status"].eq("respondent").any():
        raise core.WeightingError("the wave has no completed interviews to weight")
    result = WeightingResult(cases.copy())
    table = result.cases
    weights = core.design_weights(table["inclusion_probability"].to_numpy())
    table["design_weight"] = weights
    classes, merged = weighting_classes(table, spec)
    result.steps.append(f"design weights for {len(table)} released cases "
                        f"(total {weights.sum():,.0f})")
    weights = core.adjust_unknown_eligibility(weights, table["status"], classes)
    weights = core.adjust_nonresponse(weights, table["status"], classes)
    table["adjusted_weight"] = weights
    result.steps.append(f"eligibility and non-response adjusted in {classes.nunique()} classes"
                        + (f" ({len(merged)} merged into their {spec.fallback_classes})"
                           if merged else ""))
    respondents = table["status"].eq("respondent").to_numpy()
    frame = table.loc[respondents]
    variables = _rakeable(frame, population, spec.rake_variables, result.steps)
    matched = matched_frame_margins(frame, population, variables)
    design = core.make_design(weights[respondents], strata=frame[DESIGN.strata].to_numpy())
    raked = core.rake_design(design, matched, epsilon=spec.epsilon)
    final = raked.weights
    iterations = raked.calibration.iterations
    result.steps.append(f"raked to {', '.join(variables)} in {iterations} iterations")
    if spec.median_cap:
        trimmed = core.trim_weights(final, median_cap=spec.median_cap)
        final = trimmed.weights
        result.steps.append(f"trimmed at {spec.median_cap} x the median weight")
    table["final_weight"] = 0.0
    table.loc[respondents, "final_weight"] = final
    result.diagnostics = {
        "respondents": int(respondents.sum()), "cases": len(table),
        "merged_classes": merged, "rake_iterations": iterations,
        "weights": core.weight_diagnostics(final).as_dict(),
        "status_counts": table["status"].value_counts().to_dict(),
    }
    calibration = core.CalibrationSpec(DESIGN.weights_before_calibration,
                                       tuple(m.margin for m in matched))
    result.design = core.DesignSpec(DESIGN.weights, strata=DESIGN.strata,
                                    calibration=calibration).to_dict()
    return result


def matched_frame_margins(data: pd.DataFrame, population: dict[str, dict[str, float]],
                          variables: list[str]) -> list[core.MatchedMargin]:
    """The frame's population margins of `variables`, matched to the data's categories."""
    margins = [core.Margin(v, tuple(population[v]),
                           np.array(list(population[v].values()), dtype=float))
               for v in variables]
    return core.match_margins(data.astype({v: str for v in variables}), margins,
                              "frame margins")


def _rakeable(frame: pd.DataFrame, population: dict[str, dict[str, float]],
              variables: tuple[str, ...], steps: list[str]) -> list[str]:
    """The raking variables whose every population category has respondents; a variable
    that has an empty category is left out, and the step says so."""
    usable = []
    for variable in variables:
        present = set(frame[variable].astype(str))
        empty = [c for c in population[variable] if c not in present]
        if empty:
            steps.append(f"not raked to {variable}: no respondents in {', '.join(empty)}")
        else:
            usable.append(variable)
    if not usable:
        raise core.WeightingError("no raking variable has respondents in every category")
    return usable
