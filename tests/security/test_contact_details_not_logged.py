"""Business contact details never reach the logs or the audit log.

A whole fieldwork day through the API and the pages (the case shown to its interviewer, with
the phone number on screen; dials, an appointment, an interview, bad requests, a supervisor's
reassignment and close) with every logger at DEBUG: no log record and no audit event holds a
business's name, address or phone.
"""

import logging
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roles import Role
from survey.models import Case
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)


def post(client: Client, url: str, body: dict | None = None, expect: int = 200):
    response = client.post(url, body or {}, content_type="application/json")
    assert response.status_code == expect, (url, response.content[:300])
    return response


def fieldwork_day(wave, interviewer: Client, supervisor: Client) -> list[int]:
    cases = []
    for outcome in ("no_answer", "appointment", "interview", "bad"):
        case = post(interviewer, f"/api/waves/{wave.pk}/next-case/").json()["case"]["id"]
        cases.append(case)
        assert "020 7946" in interviewer.get(f"/api/cases/{case}/").content.decode()
        assert interviewer.get(f"/interviewing/cases/{case}/").status_code == 200
        if outcome == "no_answer":
            post(interviewer, f"/api/cases/{case}/calls/",
                 {"event_id": str(uuid.uuid4()), "outcome": "no_answer"}, expect=201)
        elif outcome == "appointment":
            post(interviewer, f"/api/cases/{case}/appointments/",
                 {"event_id": str(uuid.uuid4()), "ask_for": "the manager",
                  "due_at": (OPEN_NOW + timedelta(hours=2)).isoformat()}, expect=201)
        elif outcome == "interview":
            interview = post(interviewer, f"/api/cases/{case}/interview/",
                             expect=201).json()["id"]
            for path, value, expect in (("trading", "2", 201), ("victim", "nonsense", 400),
                                        ("victim", "2", 201)):
                post(interviewer, f"/api/interviews/{interview}/answers/",
                     {"event_id": str(uuid.uuid4()), "path": path, "value": value}, expect)
            post(interviewer, f"/api/interviews/{interview}/complete/")
        else:
            post(interviewer, f"/api/cases/{case}/calls/", {"outcome": "no such outcome"},
                 expect=400)
            post(supervisor, f"/api/cases/{case}/close/")
    return cases


def test_no_contact_detail_in_any_log_record_or_audit_event(agency, users, caplog):
    wave = wave_in_field(agency)
    interviewer, supervisor = Client(), Client()
    interviewer.force_login(users[Role.INTERVIEWER])
    supervisor.force_login(users[Role.SUPERVISOR])
    make_user(Role.INTERVIEWER, agency=agency)
    with caplog.at_level(logging.DEBUG):
        cases = fieldwork_day(wave, interviewer, supervisor)
    businesses = [case.sampled_business.business for case in
                  Case.objects.filter(pk__in=cases).select_related("sampled_business__business")]
    secrets = [value for b in businesses for value in (b.name, b.address, b.phone)]
    assert len(secrets) == 3 * len(cases)
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)
    assert caplog.records, "nothing was logged: the test would prove nothing"
    audited = "\n".join(f"{e.username} {e.object_type} {e.object_id} {e.detail}"
                        for e in AuditEvent.objects.all())
    for secret in secrets:
        assert secret not in logged, secret
        assert secret not in audited, secret
