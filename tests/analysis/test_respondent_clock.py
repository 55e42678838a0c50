"""Calculated answers in the respondent table are the interview's own: today() is the date
the interview was completed (London time) and now() its moment, whatever the day the
analysis runs; the derived flags come from the one definition (bas_variables)."""

import datetime as dt
import io
import types

import openpyxl
import pytest

from accounts.roles import Role
from analysis.respondents import respondent_answers
from questionnaires.engine import walker
from questionnaires.services import questionnaire_version_upload
from sampling import services as sampling
from survey.models import Case, Interview, Wave
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SURVEY = [
    ("type", "name", "label", "calculation"),
    ("integer", "confidence_police", "Confidence (1 very .. 5 not at all)", ""),
    ("calculate", "interview_date", "Date of the interview", "today()"),
    ("calculate", "interview_moment", "Moment of the interview", "now()"),
]
COMPLETED = dt.datetime(2024, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 July in London


class AnalystsDay(dt.date):
    """The analyst's clock, years after the interview."""

    @classmethod
    def today(cls) -> dt.date:
        return dt.date(2031, 1, 15)


def version_with_calculates():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in SURVEY:
        sheet.append(list(row))
    book.create_sheet("choices").append(["list_name", "name", "label"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["Clock", "clock", "1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return questionnaire_version_upload(workbook=buffer.getvalue(), filename="clock.xlsx")


@pytest.fixture
def wave(agency):
    frame = sampling.frame_create_synthetic(size=600, seed=5)
    design = sampling.sample_design_create(frame=frame, name="c", n=40, seed=3,
                                           allocation="proportional", replicates=1,
                                           strata_dimensions=["size_band"],
                                           min_stratum_size=5)
    sample = sampling.sample_draw(design=design)
    sampling.replicates_release(sample=sample, replicates=[1])
    wave = Wave.objects.create(name="Wave C", questionnaire_version=version_with_calculates(),
                               sample=sample, agency=agency, target_interviews=10,
                               status=Wave.Status.CLOSED)
    interviewer = make_user(Role.INTERVIEWER, agency=agency)
    for score, business in zip([1, 3, -8], sample.businesses.all()[:3], strict=True):
        case = Case.objects.create(wave=wave, sampled_business=business,
                                   stratum=business.stratum, status=Case.Status.FINAL,
                                   final_code="1.1")
        Interview.objects.create(case=case, version=wave.questionnaire_version,
                                 interviewer=interviewer, status=Interview.Status.COMPLETE,
                                 answers={"confidence_police": score},
                                 completed_at=COMPLETED)
    return wave


def test_today_is_the_interviews_date_not_the_analysts(wave, monkeypatch):
    frozen = types.SimpleNamespace(**{**vars(dt), "date": AnalystsDay})
    monkeypatch.setattr(walker, "dt", frozen)
    assert walker.dt.date.today() == dt.date(2031, 1, 15)  # the clock is frozen
    table = respondent_answers(wave)
    assert set(table["interview_date"]) == {"2024-07-02"}
    assert all(str(m).startswith("2024-07-02T00:30") for m in table["interview_moment"])


def test_derived_flags_from_the_one_definition(wave):
    table = respondent_answers(wave).sort_values("confidence_police")
    assert table["confident_police"].tolist()[1:] == [1.0, 0.0]
    assert table["confident_police"].isna().tolist() == [True, False, False]  # -8: missing
