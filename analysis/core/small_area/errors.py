"""Errors of the small-area core. Each message names the place (domain, column, row) and value."""

from __future__ import annotations

from ..errors import AnalysisError


class SmallAreaError(AnalysisError):
    """Bad input to a small-area model, or a model that cannot be fitted as asked."""


class SmallAreaConvergenceError(SmallAreaError):
    """The Fisher-scoring iteration for the model variance did not converge (as sae reports)."""
