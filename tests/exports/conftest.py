"""A weighted wave of the BAS questionnaire with synthetic answers (adapted from
tests/analysis/test_wave_weighting.py), ready to publish."""

from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from accounts.roles import Role
from analysis.services import estimate_set_create, weighting_run
from analysis.weighting_runs import weighting_accept
from exports.measures import CRIME_TYPES
from questionnaires.services import questionnaire_version_upload
from sampling import services as sampling
from survey.models import Case, Interview, Wave
from tests.factories import make_user

BAS_WORKBOOK = Path(settings.BASE_DIR) / "questionnaires" / "forms_data" / "bas_questionnaire.xlsx"
POLICE_TYPES = ["burglary", "theft_customer", "theft_staff", "criminal_damage", "robbery",
                "violence_staff"]


@pytest.fixture
def bas_version(db):
    return questionnaire_version_upload(workbook=BAS_WORKBOOK.read_bytes(),
                                        filename=BAS_WORKBOOK.name)


def bas_answers(rng: np.random.Generator, borough: str, sector: str) -> dict:
    """A plausible completed BAS interview, in the engine's answer format."""
    crimes = [name for name in CRIME_TYPES if rng.random() < 0.15]
    confidence = int(rng.integers(1, 6)) if rng.random() > 0.05 else -8
    answers = {
        "right_person": "1", "respondent_role": str(rng.integers(1, 5)),
        "london_address": "1", "borough": borough, "sector": sector,
        "employees": int(rng.integers(1, 400)), "years_trading": str(rng.integers(1, 5)),
        "confidence_police": str(confidence) if confidence > 0 else confidence,
        "crime_types": crimes or ["none"], "advice_received": "2", "action_fraud_aware": "1",
        "recontact": "2", "comments": "=HYPERLINK(\"http://example.invalid\")",
    }
    for name in crimes:
        police = name in POLICE_TYPES
        reported = rng.choice(["1", "4"] if police else ["2", "3", "4"])
        answers[f"crime_detail[{name}]/incidents"] = int(rng.integers(1, 5))
        answers[f"crime_detail[{name}]/cost"] = float(rng.integers(0, 5000))
        answers[f"crime_detail[{name}]/reported"] = str(reported)
    return answers


def make_wave(agency, version, *, name: str, seed: int, frame_size: int = 3000,
              n: int = 400) -> Wave:
    frame = sampling.frame_create_synthetic(size=frame_size, seed=seed)
    design = sampling.sample_design_create(frame=frame, name=f"design {name}", n=n, seed=seed,
                                           allocation="proportional", replicates=2,
                                           strata_dimensions=["borough", "size_band"],
                                           min_stratum_size=30)
    sample = sampling.sample_draw(design=design)
    sampling.replicates_release(sample=sample, replicates=[1, 2])
    wave = Wave.objects.create(name=name, questionnaire_version=version, sample=sample,
                               agency=agency, target_interviews=200,
                               status=Wave.Status.CLOSED)
    interviewer = make_user(Role.INTERVIEWER, agency=agency)
    rng = np.random.default_rng(seed)
    for business in sample.businesses.select_related("business"):
        case = Case.objects.create(wave=wave, sampled_business=business,
                                   stratum=business.stratum, status=Case.Status.FINAL)
        draw = rng.random()
        if draw < 0.6:
            case.final_code = "1.1"
            Interview.objects.create(
                case=case, version=version, interviewer=interviewer,
                status=Interview.Status.COMPLETE,
                answers=bas_answers(rng, business.business.borough, business.business.sector))
        elif draw < 0.8:
            case.final_code = "2.11"
        elif draw < 0.9:
            case.last_code, case.status = "3.13", Case.Status.CALLBACK
        else:
            case.final_code = "4.51"
        case.save()
    return wave


def weigh(wave: Wave):
    run = weighting_run(wave=wave)
    weighting_accept(run=run)
    estimate_set_create(run=run)
    return run


@pytest.fixture
def weighted_wave(agency, bas_version):
    wave = make_wave(agency, bas_version, name="Wave 2025", seed=5)
    weigh(wave)
    return wave


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module inside a transaction rolled back at the end: two waves, the
    first published, the second weighted (each test runs in a savepoint within it)."""
    from django.db import transaction

    from exports.services import wave_publish
    from tests.factories import AgencyFactory

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            agency = AgencyFactory()
            version = questionnaire_version_upload(workbook=BAS_WORKBOOK.read_bytes(),
                                                   filename=BAS_WORKBOOK.name)
            first = make_wave(agency, version, name="Wave 2024", seed=5)
            weigh(first)
            folder = tmp_path_factory.mktemp("publication")
            result = wave_publish(wave=first, out=folder)
            second = make_wave(agency, version, name="Wave 2025", seed=7)
            weigh(second)
            yield {"wave": first, "result": result, "folder": folder, "next": second}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
