"""Small-area estimation: the Fay-Herriot area-level model, equal to R sae 1.3.

Pure numpy/scipy and the standard library (no Django; of the project, only
``analysis.core.errors``). ``fay_herriot`` fits by REML, ML or the FH moment method and gives
EBLUP, MSE (as ``mseFH``) and shrinkage for every domain; ``model_matrix`` builds the design
as R's ``model.matrix``; ``read_area_table`` reads an area-level CSV; variances of proportions
can be smoothed (``smooth_proportion_variance``), EBLUPs ratio-benchmarked
(``ratio_benchmark``), and ``publication_rule`` says per domain whether the direct estimate,
the model-based one or nothing is published. Each module's docstring gives its formulas and
their sources.
"""

from .area_table import AreaTable, read_area_table
from .benchmarking import Benchmarked, ratio_benchmark
from .design_matrix import INTERCEPT, DesignMatrix, factor_levels, model_matrix
from .errors import SmallAreaConvergenceError, SmallAreaError
from .fay_herriot import fay_herriot
from .fitting import MAXITER, METHODS, PRECISION, Method
from .publication_rule import Publication, PublicationRule, model_interval, publication_rule
from .result import Coefficient, FayHerriotResult, GoodnessOfFit
from .variance_smoothing import SmoothedVariance, smooth_proportion_variance

__all__ = [
    "INTERCEPT", "MAXITER", "METHODS", "PRECISION", "AreaTable", "Benchmarked", "Coefficient",
    "DesignMatrix", "FayHerriotResult", "GoodnessOfFit", "Method", "Publication",
    "PublicationRule", "SmallAreaConvergenceError", "SmallAreaError", "SmoothedVariance",
    "factor_levels", "fay_herriot", "model_interval", "model_matrix", "publication_rule",
    "ratio_benchmark", "read_area_table", "smooth_proportion_variance",
]
