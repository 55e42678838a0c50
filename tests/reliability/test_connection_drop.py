"""Fault: the database connection drops while an answer is being saved.

The client gets an error (500), and its retry with the same event id succeeds without a
duplicate. On PostgreSQL the connection is really cut (pg_terminate_backend on this
process's backend, mid-transaction); SQLite has no server to cut, so the save path raises
the OperationalError a broken connection gives.
"""

import uuid
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, connection
from rest_framework.test import APIClient

from survey.api import fieldwork
from survey.models import AnswerEvent, Interview
from survey.services.interviews import interview_start_or_resume
from tests.reliability.checks import assert_consistent
from tests.survey.fieldwork_factories import OPEN_NOW


def drop_connection() -> None:
    """Cut this process's database connection as a network failure or a restart would."""
    if connection.vendor != "postgresql":
        raise OperationalError("disk I/O error (simulated: the connection dropped)")
    db = connection.settings_dict
    pid = connection.connection.info.backend_pid
    with psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"],
                         host=db["HOST"] or None, port=db["PORT"] or None,
                         autocommit=True) as admin:
        # Waits (up to 5 s) until the backend has gone.
        assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]


def cut_before_commit():
    """After the event row is inserted, before the interview's cache is updated."""
    real_save = Interview.save

    def save(self, *args, **kwargs):
        drop_connection()
        return real_save(self, *args, **kwargs)  # fails on the dead connection (PostgreSQL)

    return mock.patch.object(Interview, "save", save)


def cut_after_commit():
    """The save committed; the connection drops before the client has its answer."""

    def state_data(state):
        if connection.vendor == "postgresql":
            drop_connection()
            connection.close()  # as Django does when it finds the connection unusable
        raise OperationalError("server closed the connection unexpectedly (simulated)")

    return mock.patch.object(fieldwork, "_state_data", state_data)


@pytest.mark.parametrize(("cut", "stored_before_retry", "retry_status"), [
    (cut_before_commit, False, 201),  # rolled back: the retry stores it
    (cut_after_commit, True, 200),  # committed: the retry is answered from the stored event
])
def test_dropped_connection_gives_an_error_and_the_retry_stores_the_answer_once(
        field, cut, stored_before_retry, retry_status):
    wave, me, case = field
    state, _ = interview_start_or_resume(case=case, user=me, now=OPEN_NOW)
    client = APIClient(raise_request_exception=False)
    client.force_login(me)
    url = f"/api/interviews/{state.interview.pk}/answers/"
    body = {"event_id": str(uuid.uuid4()), "path": "trading", "value": "1"}

    with cut():
        failed = client.post(url, body, format="json")
    assert failed.status_code == 500

    assert AnswerEvent.objects.filter(event_id=body["event_id"]).exists() is stored_before_retry
    retried = client.post(url, body, format="json")
    assert retried.status_code == retry_status, retried.content
    assert retried.json()["state"]["prompt"]["path"] == "staff"
    again = client.post(url, body, format="json")  # the retry's answer was lost too
    assert (again.status_code, again.json()["created"]) == (200, False)

    assert AnswerEvent.objects.filter(interview=state.interview).count() == 1
    assert_consistent(state.interview, [retried.json()["event"]])
    assert Interview.objects.get(pk=state.interview.pk).answers == {"trading": "1"}
