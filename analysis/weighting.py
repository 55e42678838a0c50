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


# What an analyst may choose, in their words: the case table's columns that can be weighting
# classes for non-response, and the ones that can be raked to population totals.
CLASS_CHOICES: dict[str, str] = {"stratum": "sampling stratum (borough x size band)",
                                 "borough": "borough", "sector_group": "sector group",
                                 "size_band": "size band"}
RAKE_CHOICES: dict[str, str] = {"borough": "borough", "sector_group": "sector group",
                                "size_band": "size band"}
MARGIN_TOLERANCE = 0.01  # a margin is hit when the weighted total is within 1% of its target


@dataclass(frozen=True)
class WeightingSpec:
    classes: str = "stratum"
    fallback_classes: str = "borough"
    rake_variables: tuple[str, ...] = DEFAULT_RAKE_VARIABLES
    median_cap: float | None = 6.0
    epsilon: float = 1e-8
    trim_lower: float | None = None  # floor, as a multiple of the median weight

    def as_dict(self) -> dict:
        return {"classes": self.classes, "fallback_classes": self.fallback_classes,
                "rake_variables": list(self.rake_variables), "median_cap": self.median_cap,
                "trim_lower": self.trim_lower, "epsilon": self.epsilon}


@dataclass(frozen=True)
class OptionProblem:
    field: str
    message: str


class WeightingOptionsError(core.WeightingError):
    """One or more weighting options are not usable; each problem names its field."""

    default_code = "weighting_options"

    def __init__(self, problems: list[OptionProblem]) -> None:
        super().__init__(" ".join(p.message for p in problems),
                         fields={"problems": [{"field": p.field, "message": p.message}
                                              for p in problems]})
        self.problems = problems

    def for_field(self, name: str) -> list[str]:
        return [p.message for p in self.problems if p.field == name]


def check_spec(spec: WeightingSpec, population: dict[str, dict[str, float]],
               source: str = "the frame") -> None:
    """Every option checked, every problem reported at once, in the analyst's words."""
    problems: list[OptionProblem] = []
    if spec.classes not in CLASS_CHOICES:
        problems.append(OptionProblem("classes", f"Weighting classes must be one of: "
                                      f"{', '.join(CLASS_CHOICES.values())}; "
                                      f"'{spec.classes}' is not one of them."))
    if not spec.rake_variables:
        problems.append(OptionProblem("rake_variables", "Choose at least one margin to rake "
                                      "on (borough, sector group or size band)."))
    for variable in spec.rake_variables:
        if variable not in RAKE_CHOICES:
            problems.append(OptionProblem("rake_variables", f"'{variable}' cannot be raked "
                                          f"on: choose from {', '.join(RAKE_CHOICES.values())}."))
        elif variable not in population:
            problems.append(OptionProblem("rake_variables", f"{source} has no population "
                                          f"totals by {RAKE_CHOICES[variable]}: rake on "
                                          "another margin or use totals that have it."))
    upper, lower = spec.median_cap, spec.trim_lower
    if upper is not None and not (np.isfinite(upper) and upper > 1):
        problems.append(OptionProblem("median_cap", "The upper trimming bound must be more "
                                      "than 1 times the median weight (e.g. 3.5 or 6), or "
                                      "left empty for no cap."))
    if lower is not None and not (np.isfinite(lower) and 0 < lower < 1):
        problems.append(OptionProblem("trim_lower", "The lower trimming bound must be between "
                                      "0 and 1 times the median weight (e.g. 0.3), or left "
                                      "empty for no floor."))
    if problems:
        raise WeightingOptionsError(problems)


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
    if spec.median_cap or spec.trim_lower:
        median = float(np.median(final[final > 0]))
        lower = spec.trim_lower * median if spec.trim_lower else None
        trimmed = core.trim_weights(final, lower=lower, median_cap=spec.median_cap or None)
        final = trimmed.weights
        bounds = [f"{spec.trim_lower:g}" if spec.trim_lower else None,
                  f"{spec.median_cap:g}" if spec.median_cap else None]
        result.steps.append(f"trimmed to {bounds[0] or '0'} to {bounds[1] or 'any'} x the "
                            f"median weight ({trimmed.trimmed} weights trimmed)")
    table["final_weight"] = 0.0
    table.loc[respondents, "final_weight"] = final
    result.diagnostics = {
        "respondents": int(respondents.sum()), "cases": len(table),
        "merged_classes": merged, "rake_iterations": iterations,
        "weights": core.weight_diagnostics(final).as_dict(),
        "status_counts": table["status"].value_counts().to_dict(),
        "margins": margins_hit(frame, final, matched),
        "raked_variables": variables,
        "classes": spec.classes,
    }
    calibration = core.CalibrationSpec(DESIGN.weights_before_calibration,
                                       tuple(m.margin for m in matched))
    result.design = core.DesignSpec(DESIGN.weights, strata=DESIGN.strata,
                                    calibration=calibration).to_dict()
    return result


def margins_hit(frame: pd.DataFrame, weights: np.ndarray,
                matched: list[core.MatchedMargin]) -> list[dict]:
    """Each raked margin's categories: the target total, the weighted total achieved by the
    final weights (after trimming), the difference as a share of the target, and whether it
    is within MARGIN_TOLERANCE."""
    rows = []
    for item in matched:
        achieved = np.bincount(item.codes, weights=weights,
                               minlength=len(item.margin.categories))
        for category, target, got in zip(item.margin.categories, item.margin.totals, achieved,
                                         strict=True):
            gap = (got - target) / target if target else 0.0
            rows.append({"variable": item.margin.variable, "category": category,
                         "target": float(target), "achieved": float(got),
                         "difference": float(gap), "hit": bool(abs(gap) <= MARGIN_TOLERANCE)})
    return rows


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
