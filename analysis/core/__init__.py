"""The analysis core: weighting and estimation over numpy/pandas, with no Django import.

Agrees with R survey 4.1 (svydesign, svymean/svytotal/svyratio/svyciprop, svyby, subset,
rake/calibrate, as.svrepdesign, calibrate() on replicate designs); see tests/analysis for
the reference figures. A design (design.py) is built once; rake_design and calibrate_design
return a new one; estimators take it. Statistics and CI methods each live in one registry
(statistics.py, ci_methods.py); design_spec.py stores what rebuilds a weighted design."""

from .calibration import CalibrationResult, calibrate, calibrate_design
from .change import Change, proportion_change
from .ci_methods import (
    CI_METHODS,
    DEFAULT_PROPORTION_CI,
    PROPORTION_CI_METHODS,
    CIMethod,
    ci_method,
    proportion_ci_choices,
)
from .design import Calibration, Design, Replicates, check_weights, make_design
from .design_spec import CalibrationSpec, DesignSpec, build_design
from .design_weights import adjust_nonresponse, adjust_unknown_eligibility, design_weights
from .diagnostics import WeightDiagnostics, weight_diagnostics
from .domains import Domains, domains_by, domains_cross, whole_population
from .errors import AnalysisError, EstimationError, WeightingError
from .estimates import RESULT_COLUMNS, Estimates
from .estimators import estimate, survey_mean, survey_proportion, survey_ratio, survey_total
from .intervals import beta_interval, logit_interval, t_interval, wilson_interval
from .margins import Margin, MatchedMargin, margins_from_frame, match_margins
from .raking import RakeResult, margin_population, rake, rake_design, raking_calibration
from .replicates import ReplicateWeights, bootstrap_weights, jk1_weights, jkn_weights
from .statistics import STATISTICS, Statistic, statistic, statistic_choices
from .trimming import TrimResult, trim_weights
from .variance import design_variance

__all__ = [
    "CI_METHODS", "DEFAULT_PROPORTION_CI", "PROPORTION_CI_METHODS", "STATISTICS",
    "AnalysisError", "CIMethod", "Calibration", "CalibrationResult", "CalibrationSpec",
    "Change", "Design", "DesignSpec", "Domains", "EstimationError", "Estimates", "Margin",
    "MatchedMargin", "RESULT_COLUMNS", "RakeResult", "ReplicateWeights", "Replicates",
    "Statistic", "TrimResult", "WeightDiagnostics", "WeightingError", "adjust_nonresponse",
    "adjust_unknown_eligibility", "beta_interval", "bootstrap_weights", "build_design",
    "calibrate", "calibrate_design", "check_weights", "ci_method", "design_variance",
    "design_weights", "domains_by", "domains_cross", "estimate", "jk1_weights", "jkn_weights",
    "logit_interval", "make_design", "margin_population", "margins_from_frame",
    "match_margins", "proportion_change", "proportion_ci_choices", "rake", "rake_design",
    "raking_calibration", "statistic", "statistic_choices", "survey_mean",
    "survey_proportion", "survey_ratio", "survey_total", "t_interval", "trim_weights",
    "weight_diagnostics", "whole_population", "wilson_interval",
]
