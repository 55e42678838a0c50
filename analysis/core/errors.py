"""Errors raised by the analysis core; each message names the place and the value."""

from bas.errors import BasError


class AnalysisError(BasError, ValueError):
    """Base class: bad input or a computation that cannot proceed."""

    default_code = "analysis_failed"


class WeightingError(AnalysisError):
    """Weights, margins or calibration cannot be computed as asked."""

    default_code = "weighting_failed"


class EstimationError(AnalysisError):
    """An estimate cannot be computed as asked."""

    default_code = "estimation_failed"
