"""Receivers for other apps' signals (connected in SurveyConfig.ready)."""

from sampling.models import Sample
from survey.services.waves import sample_cases_sync


def add_cases_for_released_replicates(sender, *, sample: Sample, **kwargs) -> None:
    """A replicate was released: every open wave on that sample gets its new cases."""
    sample_cases_sync(sample=sample)


def connect_receivers() -> None:
    from sampling.signals import replicates_released

    replicates_released.connect(add_cases_for_released_replicates,
                                dispatch_uid="bas_cases_for_released_replicates")
