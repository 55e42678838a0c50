"""Seed a wave in the field through the services: synthetic frame, sample, release,
questionnaire version, wave open all week, interviewers with logged-in sessions.

Needs Django set up (bench_load.py does it after pointing DATABASE_URL at a fresh database).
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore

from accounts.models import User
from accounts.roles import Role
from accounts.services import agency_create, user_create
from questionnaires.services import questionnaire_version_upload
from sampling import services as sampling
from survey.models import Case, Wave
from survey.services.waves import wave_create, wave_open_field

BAS_WORKBOOK = Path(settings.BASE_DIR) / "questionnaires" / "forms_data" / "bas_questionnaire.xlsx"
ALL_WEEK = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "23:59"}
PASSWORD = "load-bench-" + secrets.token_hex(8)


@dataclass(frozen=True)
class Interviewer:
    username: str
    password: str
    session_key: str  # a session made as the login view makes it (see `session_for`)


@dataclass(frozen=True)
class Seeded:
    wave_id: int
    cases: int
    interviewers: list[Interviewer]


def seed_wave(*, interviewers: int, cases: int, seed: int = 2026) -> Seeded:
    agency = agency_create(name="Load Test Research Ltd", code="load-test")
    version = questionnaire_version_upload(workbook=BAS_WORKBOOK.read_bytes(),
                                           filename=BAS_WORKBOOK.name)
    frame = sampling.frame_create_synthetic(size=max(20_000, cases * 6), seed=seed)
    design = sampling.sample_design_create(
        frame=frame, name="Load test sample", n=cases, allocation="proportional", seed=seed,
        replicates=4)
    sample = sampling.sample_draw(design=design)
    sampling.replicates_release(sample=sample, replicates=range(1, 5))
    wave = wave_create(name="Load test wave", questionnaire_version=version, sample=sample,
                       agency=agency, target_interviews=cases, business_hours=ALL_WEEK,
                       timezone="Europe/London", max_attempts=10)
    wave = wave_open_field(wave=wave)
    users = [user_create(username=f"load_interviewer_{i:03d}", agency=agency,
                         roles=[Role.INTERVIEWER]) for i in range(interviewers)]
    # One slow PBKDF2 hash for everyone (synthetic users), so a few can log in for real.
    User.objects.filter(pk__in=[u.pk for u in users]).update(password=make_password(PASSWORD))
    people = [Interviewer(u.username, PASSWORD, session_for(User.objects.get(pk=u.pk)))
              for u in users]
    return Seeded(wave.pk, Case.objects.filter(wave=wave).count(), people)


def session_for(user: User) -> str:
    """A database session holding what django.contrib.auth.login stores.

    Logging 200 users in through the login view costs 200 PBKDF2 checks (over a second
    each here); the benchmark logs a few in for real and gives the rest these sessions.
    """
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # the login limit's
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def wave_status(wave_id: int) -> str:
    return Wave.objects.get(pk=wave_id).status
