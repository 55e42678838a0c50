"""Read queries for frames and samples."""

import numpy as np
import pandas as pd
from django.db.models import QuerySet

from sampling import core
from sampling.design import core_design
from sampling.models import Frame, FrameBusiness, Sample, SampledBusiness, SampleDesign

SAMPLE_EXPORT_COLUMNS = ["reference", "borough", "sector", "size_band", "stratum",
                         "inclusion_probability", "design_weight", "replicate"]


def frame_table(frame: Frame) -> pd.DataFrame:
    """The frame as the sampling core reads it (no contact details)."""
    rows = FrameBusiness.objects.filter(frame=frame).order_by("id").values_list(
        "reference", "borough", "sector", "size_band", "employees")
    return pd.DataFrame.from_records(
        list(rows), columns=["reference", "borough", "sector", "size_band", "employees"])


def recently_sampled_references(frame: Frame, waves: int, *, before: SampleDesign) -> set[str]:
    """References drawn by the last `waves` samples of this frame before `before` (so that a
    new wave can avoid businesses interviewed recently)."""
    if waves <= 0:
        return set()
    earlier = Sample.objects.filter(design__frame=frame).exclude(design=before)
    if before.created_at is not None:
        earlier = earlier.filter(design__created_at__lt=before.created_at)
    recent = list(earlier.order_by("-drawn_at").values_list("pk", flat=True)[:waves])
    return set(SampledBusiness.objects.filter(sample__in=recent)
               .values_list("business__reference", flat=True))


def frame_list() -> QuerySet[Frame]:
    return Frame.objects.select_related("created_by").order_by("-created_at")


def sample_list() -> QuerySet[Sample]:
    return Sample.objects.select_related("design__frame", "drawn_by").order_by("-drawn_at")


def sample_table(sample: Sample, *, released_only: bool = False) -> pd.DataFrame:
    """One row per selected business in the draw_sample output shape: as drawn, or only the
    released businesses with probabilities recomputed from the replicates released."""
    rows = sample.businesses.all()
    if released_only:
        rows = rows.filter(released=True)
    data = pd.DataFrame.from_records(list(rows.order_by("id").values(
        "business__reference", "business__borough", "business__sector", "business__size_band",
        "stratum", "drawn_inclusion_probability", "inclusion_probability", "design_weight",
        "replicate", "released")))
    if data.empty:
        return pd.DataFrame(columns=SAMPLE_EXPORT_COLUMNS)
    data.columns = [c.removeprefix("business__") for c in data.columns]
    if not released_only:  # the sample as drawn, before any release
        data["inclusion_probability"] = data["drawn_inclusion_probability"]
        data["design_weight"] = 1.0 / data["drawn_inclusion_probability"]
    return data[SAMPLE_EXPORT_COLUMNS + ["released"]]


def sample_preview(*, frame: Frame, **fields) -> core.AllocationPreview:
    """What the design `fields` would draw from `frame`, summarised by borough, sector and
    size band; nothing is stored (the draw is reproducible, so storing it gives this)."""
    design = SampleDesign(frame=frame, **fields)
    design.full_clean(exclude=["created_by"])
    table = frame_table(frame)
    exclude = recently_sampled_references(frame, design.exclude_recent_waves, before=design)
    result = core.draw_sample(table, core_design(design, exclude=frozenset(exclude)))
    return core.allocation_preview(table, result.sample, len(result.allocation))


def borough_auxiliaries(frame: Frame) -> pd.DataFrame:
    """Per borough of London (all 33, by GSS code, in code order), from the frame: the number
    of businesses, its log (log(1 + count)), and the shares of businesses by sector group
    (``share_<group>``) and by size band (``share_size_0_9``, ..., ``share_size_250_plus``);
    shares are 0 in a borough without businesses. Auxiliaries for small-area models."""
    from django.db.models import Count

    from sampling.data.boroughs import BOROUGHS
    from sampling.data.sectors import DEFAULT_SECTOR_GROUPS, SIZE_BANDS

    group_of = {s: g for g, sections in DEFAULT_SECTOR_GROUPS.items() for s in sections}
    counts = (FrameBusiness.objects.filter(frame=frame)
              .values("borough", "sector", "size_band").annotate(n=Count("id")))
    index = pd.Index(list(BOROUGHS), name="borough")
    group_columns = {g: f"share_{g}" for g in DEFAULT_SECTOR_GROUPS}
    band_columns = {b: size_band_column(b) for b in SIZE_BANDS}
    table = pd.DataFrame(0.0, index=index,
                         columns=["businesses", *group_columns.values(), *band_columns.values()])
    for row in counts:
        if row["borough"] not in table.index:
            continue
        table.loc[row["borough"], "businesses"] += row["n"]
        group = group_of.get(row["sector"])
        if group is not None:
            table.loc[row["borough"], group_columns[group]] += row["n"]
        if row["size_band"] in band_columns:
            table.loc[row["borough"], band_columns[row["size_band"]]] += row["n"]
    shares = [*group_columns.values(), *band_columns.values()]
    total = table["businesses"].where(table["businesses"] > 0, 1.0)
    table[shares] = table[shares].div(total, axis=0)
    table.insert(1, "log_businesses", np.log1p(table["businesses"]))
    return table


def size_band_column(band: str) -> str:
    """The auxiliary column of a size band: 0-9 -> share_size_0_9, 250+ -> ..._250_plus."""
    return "share_size_" + band.replace("-", "_").replace("+", "_plus")
