"""Fault: two browser tabs of one interviewer on the same case (two API clients sharing the
session) send answers, next-case and complete at the same moment, over a real server.

Each tab's request either is acknowledged or refused with a 4xx (an answer to a question
the other tab's answer took off the route); none fails. Afterwards every acknowledged answer
is stored once, nothing else is, and the interview's cached answers equal its events' replay.
"""

import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from survey.models import CallAttempt, Interview
from tests.reliability.checks import assert_consistent
from tests.reliability.server import Tab, app_server, session_for, shared_database

ROUNDS = 12
ACTIONS = [("trading", "1"), ("trading", "2"), ("staff", 3), ("staff", 12),
           ("why_big", "A second shop"), ("victim", "1"), ("victim", "2"), ("next-case", None)]


def both_at_once(tabs: list[Tab], requests: list[tuple[str, dict | None]]) -> list:
    barrier = threading.Barrier(len(tabs))

    def send(i: int):
        barrier.wait()
        path, body = requests[i]
        return tabs[i].post(path, body)

    with ThreadPoolExecutor(len(tabs)) as pool:
        return list(pool.map(send, range(len(tabs))))


def test_two_tabs_on_one_case_do_not_corrupt_the_interview(field, tmp_path):
    wave, me, case = field
    session = session_for(me)
    rng = random.Random(9)
    acknowledged: list[dict] = []
    with shared_database(tmp_path) as url, app_server(url, tmp_path) as server:
        tabs = [Tab(server, session), Tab(server, session)]
        started = both_at_once(tabs, [(f"/api/cases/{case.pk}/interview/", None)] * 2)
        assert sorted(r.status_code for r in started) == [200, 201], [r.text for r in started]
        interview_id = started[0].json()["id"]
        assert started[1].json()["id"] == interview_id

        for _ in range(ROUNDS):
            requests = []
            for path, value in rng.sample(ACTIONS, 2):
                if path == "next-case":
                    requests.append((f"/api/waves/{wave.pk}/next-case/", None))
                else:
                    requests.append((f"/api/interviews/{interview_id}/answers/",
                                     {"event_id": str(uuid.uuid4()), "path": path,
                                      "value": value}))
            for response in both_at_once(tabs, requests):
                body = response.json()
                if "case" in body:  # next-case: the tab is given the case it holds
                    assert (response.status_code, body["reason"], body["case"]["id"]) == (
                        200, "held", case.pk), body
                elif response.status_code in (200, 201):
                    acknowledged.append(body["event"])
                else:
                    assert response.status_code == 400, body
                    assert body["errors"][0]["code"] == "answer_refused", body

        state = tabs[0].get(f"/api/interviews/{interview_id}/").json()
        while state["prompt"] is not None:  # finish the route from one tab
            path = state["prompt"]["path"]
            value = {"trading": "2", "staff": 3, "why_big": "Shops", "victim": "2"}[path]
            saved = tabs[0].post(f"/api/interviews/{interview_id}/answers/",
                                 {"event_id": str(uuid.uuid4()), "path": path, "value": value})
            assert saved.status_code == 201, saved.text
            acknowledged.append(saved.json()["event"])
            state = saved.json()["state"]
        done = both_at_once(tabs, [(f"/api/interviews/{interview_id}/complete/", None)] * 2)
        assert [(r.status_code, r.json()["status"]) for r in done] == [(200, "complete")] * 2
        assert tabs[0].failures == tabs[1].failures == []

    interview = Interview.objects.get(pk=interview_id)
    assert len(acknowledged) >= ROUNDS
    assert_consistent(interview, acknowledged)
    assert interview.status == Interview.Status.COMPLETE
    assert CallAttempt.objects.filter(case=case, code="1.1").count() == 1
