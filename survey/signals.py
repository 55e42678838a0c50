"""Receivers for other apps' signals (connected in SurveyConfig.ready)."""

from sampling.models import Sample
from survey.services.waves import sample_cases_sync


def add_cases_for_released_replicates(sender, *, sample: Sample, **kwargs) -> None:
    """A replicate was released: every open wave on that sample gets its new cases."""
    sample_cases_sync(sample=sample)


def release_cases_of_deactivated_interviewer(sender, *, user, **kwargs) -> None:
    """An interviewer was deactivated: the cases they hold go back to the queue."""
    from survey.services.queue import cases_release_holder

    cases_release_holder(user=user)


def connect_receivers() -> None:
    from accounts.signals import interviewer_deactivated
    from sampling.signals import replicates_released

    replicates_released.connect(add_cases_for_released_replicates,
                                dispatch_uid="bas_cases_for_released_replicates")
    interviewer_deactivated.connect(release_cases_of_deactivated_interviewer,
                                    dispatch_uid="bas_release_cases_of_deactivated")
