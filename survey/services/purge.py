"""Purging businesses' contact details once fieldwork is over, keeping every answer."""

from dataclasses import dataclass

from django.db import transaction

from accounts.audit import audit_record
from accounts.models import AuditEvent
from bas.errors import BasError
from sampling.models import FrameBusiness
from survey.models import Appointment, Case, Wave
from survey.selectors.fieldwork import PURGED

__all__ = ["PURGED", "PurgeReport", "contacts_purge"]


@dataclass(frozen=True)
class PurgeReport:
    purged: int
    kept_for_open_waves: int


def contacts_purge(*, wave: Wave, user=None) -> PurgeReport:
    """Blank the name, address, postcode and phone of the wave's businesses, and the contact
    person of their appointments. Businesses also in a wave still in the field keep their
    details until that wave closes too."""
    if wave.status != Wave.Status.CLOSED:
        raise BasError(f"wave '{wave}' is {wave.get_status_display().lower()}: close it "
                          "before purging contact details", code="wave_not_closed")
    businesses = set(Case.objects.filter(wave=wave)
                     .values_list("sampled_business__business_id", flat=True))
    still_needed = set(Case.objects.filter(sampled_business__business_id__in=businesses)
                       .exclude(wave__status=Wave.Status.CLOSED)
                       .values_list("sampled_business__business_id", flat=True))
    to_purge = businesses - still_needed
    with transaction.atomic():
        FrameBusiness.objects.filter(pk__in=to_purge).update(
            name=PURGED, address="", postcode="", phone="")
        # the contact person to ask for is a contact detail too
        Appointment.objects.filter(case__sampled_business__business_id__in=to_purge
                                   ).update(ask_for="")
        audit_record(action=AuditEvent.Action.PURGED, user=user, obj=wave,
                     detail={"businesses": len(to_purge), "kept": len(still_needed)})
    return PurgeReport(len(to_purge), len(still_needed))
