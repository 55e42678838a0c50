"""Small-area estimation: the Fay-Herriot area-level model, equal to R sae 1.3.

Pure numpy/scipy (no Django, no app imports). ``fay_herriot`` fits by REML, ML or the FH
moment method and gives EBLUP, MSE (``mseFH``) and shrinkage for every domain; see the module
docstrings for the formulas and their sources.
"""

from .design_matrix import INTERCEPT, DesignMatrix, factor_levels, model_matrix
from .errors import SmallAreaConvergenceError, SmallAreaError
from .fay_herriot import fay_herriot
from .fitting import MAXITER, METHODS, PRECISION, Method
from .result import Coefficient, FayHerriotResult, GoodnessOfFit

__all__ = [
    "INTERCEPT", "MAXITER", "METHODS", "PRECISION", "Coefficient", "DesignMatrix",
    "FayHerriotResult", "GoodnessOfFit", "Method", "SmallAreaConvergenceError",
    "SmallAreaError", "factor_levels", "fay_herriot", "model_matrix",
]
