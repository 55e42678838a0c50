"""Read queries for fieldwork, scoped by agency through accounts.permissions."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.permissions import has_role, scope_to_agency
from accounts.roles import Role
from survey.models import Case, Interview, Wave

# A version's definition, summary and workbook are large (the parsed definition is cached
# by the interview services); per-request reads of waves and interviews leave them out.
_VERSION_BULK = ("definition", "summary", "workbook")


def _without_version_bulk(queryset: QuerySet, relation: str) -> QuerySet:
    return queryset.defer(*(f"{relation}__{name}" for name in _VERSION_BULK))


def wave_list(*, user) -> QuerySet[Wave]:
    waves = Wave.objects.select_related("agency", "questionnaire_version__questionnaire")
    return scope_to_agency(_without_version_bulk(waves, "questionnaire_version"), user)


def wave_get(*, user, wave_id: int) -> Wave | None:
    return wave_list(user=user).filter(pk=wave_id).first()


def case_list(*, user) -> QuerySet[Case]:
    cases = Case.objects.select_related("wave", "sampled_business__business")
    return scope_to_agency(cases, user, agency_field="wave__agency")


def case_get(*, user, case_id: int) -> Case | None:
    return case_list(user=user).filter(pk=case_id).first()


def interview_get(*, user, interview_id: int) -> Interview | None:
    interviews = _without_version_bulk(
        Interview.objects.select_related("case__wave", "version"), "version")
    return scope_to_agency(interviews, user, agency_field="case__wave__agency").filter(
        pk=interview_id).first()


# What a purged business's name reads (survey.services.purge writes it).
PURGED = "[purged]"
CONTACT_FIELDS = ("name", "address", "postcode", "phone")


@dataclass(frozen=True)
class AppointmentSeen:
    """An appointment as the caller may see it: the contact person only on need-to-know."""

    due_at: object
    ask_for: str
    created_by_id: int


def contact_details_visible(*, user, case: Case) -> bool:
    """The one need-to-know rule for a business's name, address, phone and contact person.

    Supervisors of the wave's agency see their wave's cases; an interviewer of that agency,
    while the wave is not closed, sees the case they hold, the cases they made an
    appointment on and those an appointment keeps for them; nobody else, and nobody once
    the details are purged.
    """
    wave = case.wave
    if user is None or not user.is_authenticated or user.agency_id != wave.agency_id:
        return False
    if case.sampled_business.business.name == PURGED:
        return False
    if has_role(user, Role.SUPERVISOR):
        return True
    if not has_role(user, Role.INTERVIEWER) or wave.status == Wave.Status.CLOSED:
        return False
    return (user.pk in (case.assigned_to_id, case.reserved_for_id)
            or case.appointments.filter(created_by=user).exists())


def case_detail(*, user, case: Case) -> dict:
    """The business, its call history and appointments, and the interview if any; contact
    details only as `contact_details_visible` allows."""
    business = case.sampled_business.business
    details = {
        "reference": business.reference, "borough": business.borough,
        "sector": business.sector, "sic2007": business.sic2007,
        "size_band": business.size_band, "employees": business.employees,
        "stratum": case.stratum, "replicate": case.sampled_business.replicate,
    }
    visible = contact_details_visible(user=user, case=case)
    if visible:
        details |= {field: getattr(business, field) for field in CONTACT_FIELDS}
    interview = Interview.objects.filter(case=case).values("pk", "status").first()
    return {
        "case": case,
        "business": details,
        "attempts": list(case.attempts.select_related("interviewer").order_by("called_at", "pk")),
        "appointments": [AppointmentSeen(a.due_at, a.ask_for if visible else "",
                                         a.created_by_id)
                         for a in case.appointments.order_by("due_at")],
        "interview": interview and {"id": interview["pk"], "status": interview["status"]},
    }


@dataclass
class WaveProgress:
    cases: int
    by_status: dict[str, int]
    by_final_code: dict[str, int]
    attempted: int
    completes: int
    target: int
    strata: dict[str, dict[str, int | None]] = field(default_factory=dict)


def wave_progress(*, wave: Wave) -> WaveProgress:
    """Counts of cases by status and final code, and completes per stratum against targets."""
    rows = list(Case.objects.filter(wave=wave).values_list("status", "final_code", "stratum",
                                                              "attempt_count"))
    completes = Counter(stratum for _, code, stratum, _ in rows if code == "1.1")
    cases = Counter(stratum for _, _, stratum, _ in rows)
    strata = {
        s: {"cases": cases.get(s, 0), "completes": completes.get(s, 0),
            "target": wave.stratum_targets.get(s)}
        for s in sorted(set(cases) | set(wave.stratum_targets))
    }
    return WaveProgress(
        cases=len(rows),
        by_status=dict(Counter(status for status, _, _, _ in rows)),
        by_final_code=dict(Counter(code for _, code, _, _ in rows if code)),
        attempted=sum(1 for *_, n in rows if n > 0),
        completes=sum(completes.values()),
        target=wave.target_interviews,
        strata=strata,
    )
