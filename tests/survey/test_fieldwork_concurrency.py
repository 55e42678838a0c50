"""Concurrency: no case to two interviewers; no duplicate answer on retry (SQLite and PostgreSQL).

Each thread has its own database connection, as concurrent requests do.
"""

import threading
import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from accounts.roles import Role
from survey.models import AnswerEvent, Case
from survey.services.interviews import answer_submit, interview_start_or_resume
from survey.services.queue import case_next
from tests.factories import AgencyFactory, make_user
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field

THREADS = 8


def run_at_once(work: Callable[[int], object], n: int = THREADS) -> list[object]:
    """Run work(0..n-1) in n threads released together; return results (or exceptions)."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def field(transactional_db):
    # Earlier transactional tests flush the tables, including the migration's groups.
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    agency = AgencyFactory()
    wave = wave_in_field(agency, n_per_stratum=THREADS)
    interviewers = [make_user(Role.INTERVIEWER, agency=agency) for _ in range(THREADS)]
    return wave, interviewers


@pytest.mark.django_db(transaction=True)
def test_concurrent_next_case_gives_every_interviewer_a_different_case(field):
    wave, interviewers = field
    results = run_at_once(lambda i: case_next(wave=wave, user=interviewers[i], now=OPEN_NOW))
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    pks = [r.case.pk for r in results]
    assert len(set(pks)) == THREADS
    held = dict(Case.objects.filter(pk__in=pks).values_list("pk", "assigned_to"))
    assert {held[r.case.pk] for r in results} == {u.pk for u in interviewers}


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_answer_event_save_it_once(field):
    wave, interviewers = field
    me = interviewers[0]
    case = case_next(wave=wave, user=me, now=OPEN_NOW).case
    state, _ = interview_start_or_resume(case=case, user=me, now=OPEN_NOW)
    event_id = uuid.uuid4()
    results = run_at_once(lambda i: answer_submit(
        interview=state.interview, user=me, event_id=event_id, path="trading", value="1"))
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert sorted(r.created for r in results) == [False] * (THREADS - 1) + [True]
    assert AnswerEvent.objects.filter(interview=state.interview).count() == 1
    assert {r.event.pk for r in results} == {AnswerEvent.objects.get(event_id=event_id).pk}
    assert {r.state.prompt.path for r in results} == {"staff"}
