"""The analysis core: weighting and estimation over numpy/pandas, with no Django import.

Agrees with R survey 4.1 (svydesign, svymean/svytotal/svyratio/svyciprop, svyby, subset,
rake/calibrate, as.svrepdesign); see tests/analysis for the reference figures."""

from .calibration import CalibrationResult, calibrate
from .change import Change, proportion_change
from .design import Calibration, Design, check_weights, make_design
from .design_weights import adjust_nonresponse, adjust_unknown_eligibility, design_weights
from .diagnostics import WeightDiagnostics, weight_diagnostics
from .domains import Domains, domains_by, domains_cross, whole_population
from .errors import AnalysisError, EstimationError, WeightingError
from .estimates import RESULT_COLUMNS, Estimates
from .estimators import survey_mean, survey_proportion, survey_ratio, survey_total
from .intervals import beta_interval, logit_interval, t_interval, wilson_interval
from .margins import Margin, MatchedMargin, margins_from_frame, match_margins
from .raking import RakeResult, margin_population, rake, raking_calibration
from .replicates import ReplicateWeights, bootstrap_weights, jk1_weights, jkn_weights
from .trimming import TrimResult, trim_weights
from .variance import design_variance

__all__ = [
    "AnalysisError", "Calibration", "CalibrationResult", "Change", "Design", "Domains",
    "EstimationError", "Estimates", "Margin", "MatchedMargin", "RESULT_COLUMNS", "RakeResult",
    "ReplicateWeights", "TrimResult", "WeightDiagnostics", "WeightingError",
    "adjust_nonresponse", "adjust_unknown_eligibility", "beta_interval", "bootstrap_weights",
    "calibrate", "check_weights", "design_variance", "design_weights", "domains_by",
    "domains_cross", "jk1_weights", "jkn_weights", "logit_interval", "make_design",
    "margin_population", "margins_from_frame", "match_margins", "proportion_change", "rake",
    "raking_calibration", "survey_mean", "survey_proportion", "survey_ratio", "survey_total",
    "t_interval", "trim_weights", "weight_diagnostics", "whole_population", "wilson_interval",
]
