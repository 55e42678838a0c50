"""Services that write frames and samples: load from the database, call the pure core,
store the result in one transaction."""

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from django.db import transaction

from bas.row_locks import lock_row, retry_when_locked
from sampling import core
from sampling.design import core_design
from sampling.models import Frame, FrameBusiness, Sample, SampledBusiness, SampleDesign
from sampling.selectors import frame_table, recently_sampled_references
from sampling.signals import replicates_released

BATCH = 5000
FRAME_FIELDS = ["reference", "name", "address", "postcode", "phone", "borough", "sic2007",
                "sector", "employees", "size_band"]


def frame_import(*, path: str | Path, name: str = "", user=None) -> Frame:
    """Validate a frame file (.csv or .xlsx) and store it; core.FrameError lists every bad
    row and nothing is stored."""
    clean = core.load_frame(path)
    return _frame_store(clean, name=name or Path(path).name, source=Path(path).name, user=user)


def frame_create_synthetic(*, size: int, seed: int, user=None) -> Frame:
    raw = core.make_synthetic_frame(size, seed)
    clean = core.validate_frame(raw, file=f"synthetic-{size}-{seed}")
    return _frame_store(clean, name=f"Synthetic London frame ({size:,}, seed {seed})",
                        source="", user=user)


def _frame_store(clean: pd.DataFrame, *, name: str, source: str, user) -> Frame:
    summary = {
        "borough": _counts(clean["borough"]),
        "sector": _counts(clean["sector"]),
        "size_band": _counts(clean["size_band"].astype(str)),
    }
    table = clean[FRAME_FIELDS].astype({"size_band": str, "address": str})
    with transaction.atomic():
        frame = Frame.objects.create(name=name, source_filename=source, size=len(clean),
                                     summary=summary, created_by=user)
        FrameBusiness.objects.bulk_create(
            (FrameBusiness(frame=frame, **row._asdict())
             for row in table.itertuples(index=False)),
            batch_size=BATCH,
        )
    return frame


def _counts(values: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in sorted(Counter(values).items())}


def sample_design_create(*, frame: Frame, user=None, **fields) -> SampleDesign:
    design = SampleDesign(frame=frame, created_by=user, **fields)
    design.full_clean(exclude=["created_by"])
    core_design(design, exclude=frozenset())  # raises on an impossible design
    design.save()
    return design


def sample_draw(*, design: SampleDesign, user=None) -> Sample:
    """Draw the design's sample (reproducible: same frame, design and seed, same sample)."""
    frame = frame_table(design.frame)
    exclude = recently_sampled_references(design.frame, design.exclude_recent_waves,
                                          before=design)
    result = core.draw_sample(frame, core_design(design, exclude=frozenset(exclude)))
    ids = dict(FrameBusiness.objects.filter(frame=design.frame).values_list("reference", "id"))
    with transaction.atomic():
        sample = Sample.objects.create(
            design=design, drawn_by=user,
            allocation_table=_records(result.allocation),
            merges=[{"within": m.within, "merged": list(m.merged), "into": m.into,
                     "population": m.population} for m in result.strata.merges],
        )
        SampledBusiness.objects.bulk_create(
            (SampledBusiness(sample=sample, business_id=ids[row.reference],
                             stratum=row.stratum, replicate=int(row.replicate),
                             drawn_inclusion_probability=float(row.inclusion_probability))
             for row in result.sample.itertuples(index=False)),
            batch_size=BATCH,
        )
    return sample


def _records(table: pd.DataFrame) -> list[dict]:
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in table.to_dict(orient="records")]


@retry_when_locked
def replicates_release(*, sample: Sample, replicates: Iterable[int], user=None) -> list[str]:
    """Release replicates to fieldwork and recompute the inclusion probabilities and design
    weights of every released business from the replicates released so far.

    The sample's row is locked before the replicates released so far are read, so two
    releases at once (an analyst's and a supervisor's) add up instead of one losing the
    other's. Returns the strata that still have no released business."""
    asked = {int(r) for r in replicates}
    with transaction.atomic():
        locked = lock_row(Sample, sample.pk)
        wanted = sorted(set(locked.released_replicates) | asked)
        available = set(locked.businesses.values_list("replicate", flat=True).distinct())
        unknown = sorted(set(wanted) - available)
        if unknown:
            raise core.SelectionError(
                f"no replicate {', '.join(map(str, unknown))} in this sample "
                f"(replicates are {min(available)}..{max(available)})")
        rows = pd.DataFrame.from_records(list(
            locked.businesses.values("id", "stratum", "replicate",
                                     "drawn_inclusion_probability")))
        populations = pd.Series({r["stratum"]: r["population"]
                                 for r in locked.allocation_table})
        rows["inclusion_probability"] = rows.pop("drawn_inclusion_probability")
        released, missing = core.released_sample(rows, wanted, populations)
        SampledBusiness.objects.bulk_update(
            [SampledBusiness(id=int(r.id), released=True,
                             inclusion_probability=float(r.inclusion_probability),
                             design_weight=float(r.design_weight))
             for r in released.itertuples(index=False)],
            ["released", "inclusion_probability", "design_weight"], batch_size=BATCH)
        locked.released_replicates = wanted
        locked.save(update_fields=["released_replicates"])
    sample.released_replicates = wanted
    replicates_released.send(sender=Sample, sample=sample, replicates=wanted)
    return missing
