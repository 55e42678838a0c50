"""Synthetic fieldwork data: a frame, a sample with replicates, a small questionnaire, a wave.

No personal data: businesses are invented ("Synthetic Business 7", 020 7946 0xxx numbers
from Ofcom's drama range).
"""

from datetime import UTC, datetime

from accounts.models import Agency
from questionnaires.models import QuestionnaireVersion
from questionnaires.services import questionnaire_version_upload
from sampling.models import Frame, FrameBusiness, Sample, SampledBusiness, SampleDesign
from survey.models import Wave
from survey.services.waves import wave_create, wave_open_field
from tests.questionnaires.helpers import YES_NO, build_xlsx

# A Wednesday in term time, mid-morning in London (BST, UTC+1).
OPEN_NOW = datetime(2025, 6, 11, 10, 0, tzinfo=UTC)

SURVEY = [
    ["type", "name", "label", "relevant", "constraint", "required", "dont_know", "refused",
     "interviewer_instruction"],
    ["select_one yn", "trading", "Is the business trading at this address?", "", "", "yes",
     "", "", "Read out; press 1 or 2"],
    ["integer", "staff", "How many staff work here?", "${trading} = 1", ". >= 1", "yes",
     "yes", "yes", ""],
    ["text", "why_big", "Why so many staff?", "${staff} > 5", "", "yes", "", "", ""],
    ["select_one yn", "victim", "Has the business been a victim of crime this year?", "", "",
     "yes", "yes", "yes", ""],
]
SETTINGS = [["form_id", "form_title", "version"], ["fieldwork_test", "Fieldwork test", "1"]]

STRATA = ["E09000001|G", "E09000033|M"]


def questionnaire_version() -> QuestionnaireVersion:
    workbook = build_xlsx(SURVEY, YES_NO, SETTINGS)
    return questionnaire_version_upload(workbook=workbook, filename="fieldwork_test.xlsx")


def sample_with_cases(n_per_stratum: int = 3, replicates: int = 1,
                      released: int | None = None) -> Sample:
    """A frame and sample: `n_per_stratum` businesses per stratum in each replicate;
    the first `released` replicates (default: all) are released."""
    released = replicates if released is None else released
    frame = Frame.objects.create(name="Synthetic frame")
    design = SampleDesign.objects.create(frame=frame, name="Synthetic design", n=1,
                                         allocation="proportional", seed=1,
                                         replicates=replicates)
    sample = Sample.objects.create(design=design,
                                   released_replicates=list(range(1, released + 1)))
    number = 0
    for replicate in range(1, replicates + 1):
        for stratum in STRATA:
            for _ in range(n_per_stratum):
                number += 1
                borough, sector = stratum.split("|")
                business = FrameBusiness.objects.create(
                    frame=frame, reference=f"SYN{number:05d}", name=f"Synthetic Business {number}",
                    address=f"{number} Example Street", postcode="EC1A 1AA",
                    phone=f"020 7946 0{number:03d}", borough=borough, sic2007="47110",
                    sector=sector, employees=5 + number, size_band="1-9")
                SampledBusiness.objects.create(
                    sample=sample, business=business, stratum=stratum, replicate=replicate,
                    drawn_inclusion_probability=0.1, inclusion_probability=0.1,
                    design_weight=10.0, released=replicate <= released)
    return sample


def release_replicate(sample: Sample, replicate: int) -> None:
    SampledBusiness.objects.filter(sample=sample, replicate=replicate).update(released=True)
    sample.released_replicates = sorted({*sample.released_replicates, replicate})
    sample.save(update_fields=["released_replicates"])


def wave_in_field(agency: Agency, *, n_per_stratum: int = 3, replicates: int = 1,
                  released: int | None = None, open_field: bool = True, **kwargs) -> Wave:
    sample = sample_with_cases(n_per_stratum, replicates, released)
    kwargs.setdefault("name", f"Wave for {agency.code}")
    kwargs.setdefault("target_interviews", max(1, min(10, sample.businesses.count())))
    wave = wave_create(questionnaire_version=questionnaire_version(), sample=sample,
                       agency=agency, **kwargs)
    return wave_open_field(wave=wave) if open_field else wave


def take_case(wave: Wave, user, now: datetime = OPEN_NOW):
    """The next case for `user` (asserting there is one)."""
    from survey.services.queue import case_next

    found = case_next(wave=wave, user=user, now=now)
    assert found.case is not None, found.reason
    return found.case


def complete_case(case, user, now: datetime = OPEN_NOW):
    """Interview a case the user holds through the services: not trading, no crime."""
    import uuid

    from survey.services.interviews import (
        answer_submit,
        interview_complete,
        interview_start_or_resume,
    )

    state, _ = interview_start_or_resume(case=case, user=user, now=now)
    for path, value in (("trading", "2"), ("victim", "2")):
        answer_submit(interview=state.interview, user=user, event_id=uuid.uuid4(), path=path,
                      value=value, now=now)
    return interview_complete(interview=state.interview, user=user, now=now)


def wave_with_form(agency, survey: list, choices: list | None = None,
                   settings: list | None = None, *, files: dict | None = None,
                   **kwargs) -> Wave:
    """A wave in the field (one business per stratum) asking a workbook made of these
    tables (header first), with CSV ``files`` attached to the upload."""
    workbook = build_xlsx(survey, choices or YES_NO,
                          settings or [["form_id", "version"], ["custom_form", "1"]])
    version = questionnaire_version_upload(workbook=workbook, filename="custom_form.xlsx",
                                           files=list((files or {}).items()))
    kwargs.setdefault("name", f"Custom wave for {agency.code}")
    kwargs.setdefault("target_interviews", 2)
    wave = wave_create(questionnaire_version=version, sample=sample_with_cases(1),
                       agency=agency, **kwargs)
    return wave_open_field(wave=wave)
