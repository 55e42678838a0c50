"""The pure sampling core (no Django): frame import, strata, allocation, PRN selection."""

from sampling.core.allocation import allocate, neyman_weights
from sampling.core.design import (
    ALLOCATIONS,
    SAMPLE_COLUMNS,
    SampleDesign,
    SampleResult,
    draw_sample,
)
from sampling.core.errors import (
    AllocationError,
    FrameError,
    FrameIssue,
    SamplingError,
    SelectionError,
    StrataError,
)
from sampling.core.frame_import import FRAME_COLUMNS, load_frame, validate_frame
from sampling.core.preview import PREVIEW_COLUMNS, AllocationPreview, allocation_preview
from sampling.core.replicates import assign_replicates, released_sample
from sampling.core.selection import permanent_random_numbers, select_by_prn
from sampling.core.strata import Merge, Strata, StrataSpec, build_strata
from sampling.core.synthetic import make_synthetic_frame

__all__ = [
    "ALLOCATIONS", "FRAME_COLUMNS", "PREVIEW_COLUMNS", "SAMPLE_COLUMNS", "AllocationError",
    "AllocationPreview", "FrameError", "allocation_preview",
    "FrameIssue", "Merge", "SampleDesign", "SampleResult", "SamplingError", "SelectionError",
    "Strata", "StrataError", "StrataSpec", "allocate", "assign_replicates", "build_strata",
    "draw_sample", "load_frame", "make_synthetic_frame", "neyman_weights",
    "permanent_random_numbers", "released_sample", "select_by_prn", "validate_frame",
]
