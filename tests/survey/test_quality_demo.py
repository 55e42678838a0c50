"""The demo's simulated fieldwork (demo/fieldwork.py) on the BAS questionnaire: its fast
interviewer, who speeds, short-cuts filters and straight-lines grids, is flagged; the honest
ones are not."""

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from accounts.roles import Role
from demo.fieldwork import LONDON, quality_lines, simulate_wave
from questionnaires.services import questionnaire_version_upload
from survey.selectors.quality import wave_quality
from survey.services.waves import wave_cases_sync, wave_create, wave_open_field
from tests.factories import make_user
from tests.survey.fieldwork_factories import sample_with_cases

pytestmark = pytest.mark.django_db

BAS = Path(__file__).resolve().parents[2] / "questionnaires/forms_data/bas_questionnaire.xlsx"


@pytest.fixture
def simulated(agency):
    version = questionnaire_version_upload(workbook=BAS.read_bytes(),
                                           filename="bas_questionnaire.xlsx")
    sample = sample_with_cases(n_per_stratum=60)
    wave = wave_create(name="Simulated wave", questionnaire_version=version, sample=sample,
                       agency=agency, target_interviews=120)
    wave_cases_sync(wave=wave)
    wave = wave_open_field(wave=wave)
    team = [make_user(Role.INTERVIEWER, agency=agency, username=f"interviewer{n}")
            for n in range(1, 7)]
    simulate_wave(wave, team, np.random.default_rng(7),
                  start=datetime(2025, 6, 11, 9, 0, tzinfo=LONDON), days=3, target=60,
                  fast=(team[-1],))
    return wave, team


def test_the_fast_interviewer_is_flagged_and_the_honest_ones_are_not(simulated):
    wave, team = simulated
    report = wave_quality(wave=wave)
    rows = {row.username: row for row in report.interviewers}
    for row in report.interviewers:
        print(row.username, row.completes, row.values, row.z, row.flags)
    fast = rows[team[-1].username]
    assert {"seconds_per_question", "straightlining_rate", "filter_no_rate"} <= set(fast.flags)
    assert [row.username for row in report.flagged] == [team[-1].username]
    assert all(rows[user.username].completes >= 5 for user in team)
    lines = quality_lines(wave)
    assert f"flagged: {team[-1].username}" in "\n".join(lines)
