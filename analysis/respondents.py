"""The wave's case table: one row per released case with its design information, fieldwork
status for weighting, and (for respondents) every codebook variable."""

import datetime as dt

import pandas as pd
from django.utils import timezone

from questionnaires.engine.respondents import CaseClock, respondent_table
from questionnaires.forms_data.bas_variables import add_derived
from questionnaires.selectors import version_definition
from sampling.data.sectors import DEFAULT_SECTOR_GROUPS
from survey.aapor import DISPOSITIONS, Group, final_disposition
from survey.models import Case, Interview, Wave
from survey.selectors.review import IN_REVIEW, counted_code, in_review_case_ids

STATUS_OF_GROUP = {
    Group.I: "respondent",
    Group.P: "nonrespondent", Group.R: "nonrespondent", Group.NC: "nonrespondent",
    Group.O: "nonrespondent",
    Group.UH: "unknown", Group.UO: "unknown",
    Group.NE: "ineligible",
}
SECTOR_GROUP = {s: group for group, sections in DEFAULT_SECTOR_GROUPS.items() for s in sections}


def case_frame(wave: Wave) -> pd.DataFrame:
    """One row per case: case, stratum, borough, sector, sector_group, size_band,
    inclusion_probability, design_weight, disposition, status."""
    cases = Case.objects.filter(wave=wave, sampled_business__released=True).values(
        "id", "stratum", "final_code", "last_code",
        "sampled_business__business__borough", "sampled_business__business__sector",
        "sampled_business__business__size_band", "sampled_business__inclusion_probability",
        "sampled_business__design_weight")
    table = pd.DataFrame.from_records(list(cases))
    if table.empty:
        return table
    table.columns = [c.rsplit("__", 1)[-1] for c in table.columns]
    table = table.rename(columns={"id": "case"})
    in_review = in_review_case_ids(wave)  # completes still in review are not respondents
    codes = [counted_code(case, final, in_review) or final_disposition([last] if last else [])
             for case, final, last in zip(table["case"], table["final_code"], table["last_code"],
                                          strict=True)]
    table["disposition"] = codes
    table["status"] = [STATUS_OF_GROUP[DISPOSITIONS[c].group] for c in codes]
    table["sector_group"] = table["sector"].map(SECTOR_GROUP)
    return table.drop(columns=["final_code", "last_code"]).set_index("case", drop=False)


def respondent_answers(wave: Wave) -> pd.DataFrame:
    """Codebook variables of every completed interview (approved, when the wave reviews
    them), indexed by case, with the derived
    flags (questionnaires/forms_data/bas_variables.py). Calculates are those the interview
    stored (Interview.values: trigger and once() values as they were); else as it was:
    today() is the date it was completed (local time), now() the moment, whatever the day
    the analysis runs."""
    interviews = list(Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE)
                      .exclude(review_status__in=IN_REVIEW)
                      .values_list("case_id", "answers", "started_at", "completed_at",
                                   "interviewer__username", "values"))
    definition = version_definition(wave.questionnaire_version)
    table = respondent_table(definition, [answers for _, answers, *_ in interviews],
                             case_ids=[case for case, *_ in interviews],
                             clocks=[interview_clock(started, completed, username)
                                     for _, _, started, completed, username, _ in interviews],
                             stored=[values for *_, values in interviews])
    return add_derived(table)


def interview_clock(started: dt.datetime | None, completed: dt.datetime | None,
                    username: str = "") -> CaseClock | None:
    """The interview's own date and moment (its completion, else its start), local time, and
    its interviewer (for metadata rows)."""
    moment = completed or started
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return CaseClock(today=local.date(), now=local.replace(tzinfo=None),
                     start=timezone.localtime(started) if started else None,
                     end=local if completed else None, username=username)
