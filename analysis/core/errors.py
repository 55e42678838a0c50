"""Errors raised by the analysis core; each message names the place and the value."""


class AnalysisError(ValueError):
    """Base class: bad input or a computation that cannot proceed."""


class WeightingError(AnalysisError):
    """Weights, margins or calibration cannot be computed as asked."""


class EstimationError(AnalysisError):
    """An estimate cannot be computed as asked."""
