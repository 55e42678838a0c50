"""The analysis core: weighting and estimation over numpy/pandas, with no Django import.

Agrees with R survey 4.1 (svydesign, svymean/svytotal/svyratio/svyciprop, svyby, subset,
rake/calibrate, as.svrepdesign, calibrate() on replicate designs); see tests/analysis for
the reference figures. A design (design.py) is built once; rake_design and calibrate_design
return a new one; estimators take it. Statistics and CI methods each live in one registry
(statistics.py, ci_methods.py); design_spec.py stores what rebuilds a weighted design.

Names load from their module on first use, so that a command importing one module (say the
registries) does not pay for all of them at start-up."""

from __future__ import annotations

from importlib import import_module

_MODULE_OF: dict[str, str] = {
    "CalibrationResult": "calibration", "calibrate": "calibration",
    "calibrate_design": "calibration",
    "Change": "change", "proportion_change": "change",
    "CI_METHODS": "ci_methods", "DEFAULT_PROPORTION_CI": "ci_methods",
    "PROPORTION_CI_METHODS": "ci_methods", "CIMethod": "ci_methods",
    "ci_method": "ci_methods", "proportion_ci_choices": "ci_methods",
    "Calibration": "design", "Design": "design", "Replicates": "design",
    "check_weights": "design", "make_design": "design",
    "CalibrationSpec": "design_spec", "DesignSpec": "design_spec",
    "build_design": "design_spec",
    "adjust_nonresponse": "design_weights", "adjust_unknown_eligibility": "design_weights",
    "design_weights": "design_weights",
    "WeightDiagnostics": "diagnostics", "weight_diagnostics": "diagnostics",
    "Domains": "domains", "domains_by": "domains", "domains_cross": "domains",
    "whole_population": "domains",
    "AnalysisError": "errors", "EstimationError": "errors", "WeightingError": "errors",
    "RESULT_COLUMNS": "estimates", "Estimates": "estimates",
    "estimate": "estimators", "survey_mean": "estimators", "survey_proportion": "estimators",
    "survey_ratio": "estimators", "survey_total": "estimators",
    "beta_interval": "intervals", "logit_interval": "intervals", "t_interval": "intervals",
    "wilson_interval": "intervals",
    "Margin": "margins", "MatchedMargin": "margins", "margins_from_frame": "margins",
    "match_margins": "margins",
    "RakeResult": "raking", "margin_population": "raking", "rake": "raking",
    "rake_design": "raking", "raking_calibration": "raking",
    "ReplicateWeights": "replicates", "bootstrap_weights": "replicates",
    "jk1_weights": "replicates", "jkn_weights": "replicates",
    "STATISTICS": "statistics", "Statistic": "statistics", "statistic": "statistics",
    "statistic_choices": "statistics",
    "TrimResult": "trimming", "trim_weights": "trimming",
    "design_variance": "variance",
}

__all__ = sorted(_MODULE_OF)

# A function named like its module is bound now: importing the module later would otherwise
# leave the package attribute pointing at the module.
from .design_weights import design_weights as design_weights  # noqa: E402


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
