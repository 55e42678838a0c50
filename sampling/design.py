"""A stored sample design as the sampling core reads it (one translation, used by drawing and
by the preview before drawing)."""

from sampling import core
from sampling.models import SampleDesign


def core_design(design: SampleDesign, exclude: frozenset[str]) -> core.SampleDesign:
    dimensions = {"dimensions": tuple(design.strata_dimensions)} if design.strata_dimensions \
        else {}
    strata = core.StrataSpec(min_stratum_size=max(design.min_stratum_size, 1), **dimensions)
    factor = design.large_business_factor
    return core.SampleDesign(
        n=design.n, allocation=design.allocation, strata=strata, seed=design.seed,
        min_per_borough=design.min_per_borough if design.allocation == "compromise" else None,
        anticipated_proportion=design.anticipated_proportion,
        size_band_factors={"50-249": factor, "250+": factor * 2} if factor != 1.0 else {},
        replicates=design.replicates, exclude=exclude,
    )
