"""Read queries for setting up a wave: what a sample offers (strata, boroughs, replicates,
its allocation) and the targets that follow from the allocation by default."""

from dataclasses import dataclass

from django.db.models import Count

from sampling.models import Sample


@dataclass(frozen=True)
class SampleFacts:
    businesses: int  # businesses drawn, every replicate
    allocated: int  # the allocation's total (0 when the sample has no allocation table)
    strata: list[str]
    replicates: int  # replicates drawn
    released: list[int]


def sample_facts(sample: Sample) -> SampleFacts:
    rows = sample.businesses.values("stratum", "replicate").annotate(n=Count("pk"))
    strata = sorted({row["stratum"] for row in rows}
                    | {str(r["stratum"]) for r in sample.allocation_table if "stratum" in r})
    replicates = {row["replicate"] for row in rows}
    return SampleFacts(
        businesses=sum(row["n"] for row in rows),
        allocated=int(sum(r.get("allocated", 0) for r in sample.allocation_table)),
        strata=strata, replicates=max(replicates, default=0),
        released=sorted(sample.released_replicates))


def sample_boroughs(sample: Sample) -> list[str]:
    return sorted(sample.businesses.values_list("business__borough", flat=True).distinct())


def _shares(weights: dict[str, float], total: int) -> dict[str, int]:
    """`total` shared in proportion to `weights`, in whole numbers adding up to `total`
    (largest remainders)."""
    whole = sum(weights.values())
    if whole <= 0 or total <= 0:
        return {key: 0 for key in weights}
    exact = {key: total * w / whole for key, w in weights.items()}
    shares = {key: int(value) for key, value in exact.items()}
    left = total - sum(shares.values())
    for key in sorted(exact, key=lambda k: (shares[k] - exact[k], k))[:left]:
        shares[key] += 1
    return shares


def targets_from_allocation(sample: Sample, target: int) -> dict[str, int]:
    """The overall target shared among the strata as the sample's allocation shares its
    businesses (as drawn when the sample has no allocation table)."""
    weights = {str(r["stratum"]): float(r["allocated"]) for r in sample.allocation_table
               if "stratum" in r and "allocated" in r}
    if not weights:
        weights = {row["stratum"]: float(row["n"]) for row in
                   sample.businesses.values("stratum").annotate(n=Count("pk"))}
    return _shares(weights, target)


def borough_targets_from_allocation(sample: Sample, target: int) -> dict[str, int]:
    """The overall target shared among the boroughs as the sample's businesses are."""
    weights = {row["business__borough"]: float(row["n"]) for row in
               sample.businesses.values("business__borough").annotate(n=Count("pk"))}
    return _shares(weights, target)


def version_choices():
    from questionnaires.models import QuestionnaireVersion

    return (QuestionnaireVersion.objects.select_related("questionnaire")
            .defer("definition", "summary", "workbook").order_by("-pk"))


def sample_choices():
    return Sample.objects.select_related("design__frame").order_by("-pk")


def agency_choices():
    from accounts.models import Agency

    return Agency.objects.filter(is_commissioner=False).order_by("name")


def _pick(queryset, raw: object):
    text = str(raw or "").strip()
    return queryset.filter(pk=int(text)).first() if text.isdigit() else None


def setup_objects(raw) -> dict:
    """The questionnaire version, sample and agency a set-up form names (None when not
    chosen or unknown: the wave services then say what to choose)."""
    return {"questionnaire_version": _pick(version_choices(), raw.get("questionnaire_version")),
            "sample": _pick(sample_choices(), raw.get("sample")),
            "agency": _pick(agency_choices(), raw.get("agency"))}


@dataclass(frozen=True)
class StratumRow:
    stratum: str
    population: int | None
    allocated: int | None
    drawn: int
    default_target: int


def allocation_rows(sample: Sample, target: int) -> list[StratumRow]:
    """The sample's strata with their allocation and the target each gets by default."""
    table = {str(r["stratum"]): r for r in sample.allocation_table if "stratum" in r}
    drawn = dict(sample.businesses.values("stratum").annotate(n=Count("pk"))
                 .values_list("stratum", "n"))
    defaults = targets_from_allocation(sample, target)
    return [StratumRow(s, table.get(s, {}).get("population"), table.get(s, {}).get("allocated"),
                       drawn.get(s, 0), defaults.get(s, 0))
            for s in sorted(set(table) | set(drawn))]
