"""Fault: the app server is killed (SIGKILL) mid-interview and restarted.

The interview resumes at the question where it stopped, with every acknowledged answer; an
answer whose request was cut off by the kill is resent with the same event id and stored
once. Runs a real server process (`manage.py runserver --noreload`) on the test's database.
"""

import threading
import time
import uuid

from survey.models import CallAttempt, Interview
from tests.reliability.checks import assert_consistent
from tests.reliability.server import AppServer, Tab, session_for, shared_database


def answer(tab: Tab, interview_id: int, path: str, value, acknowledged: list[dict]) -> dict:
    body = {"event_id": str(uuid.uuid4()), "path": path, "value": value}
    response = tab.post(f"/api/interviews/{interview_id}/answers/", body)
    assert response.status_code in (200, 201), response.text
    acknowledged.append(response.json()["event"])
    return response.json()["state"]


def test_killed_server_resumes_the_interview_with_every_acknowledged_answer(field, tmp_path):
    wave, me, case = field
    session = session_for(me)
    acknowledged: list[dict] = []
    with shared_database(tmp_path) as url:
        server = AppServer(url, tmp_path / "server.log")
        server.start()
        try:
            tab = Tab(server, session)
            started = tab.post(f"/api/cases/{case.pk}/interview/")
            assert started.status_code == 201, started.text
            interview_id = started.json()["id"]
            state = answer(tab, interview_id, "trading", "1", acknowledged)
            assert state["prompt"]["path"] == "staff"

            server.kill()  # between two answers
            server.start()
            resumed = tab.get(f"/api/interviews/{interview_id}/").json()
            assert (resumed["prompt"]["path"], resumed["answered"]) == ("staff", 1)
            answer(tab, interview_id, "staff", 12, acknowledged)

            # Killed while an answer is on its way: the tab resends it, same event id.
            in_flight: dict = {}
            sender = threading.Thread(target=lambda: in_flight.update(
                state=answer(tab, interview_id, "why_big", "Two shops", acknowledged)))
            sender.start()
            time.sleep(0.02)
            server.kill()
            server.start()
            sender.join(timeout=30)
            assert in_flight["state"]["prompt"]["path"] == "victim"

            resumed = tab.get(f"/api/interviews/{interview_id}/").json()
            assert (resumed["prompt"]["path"], resumed["answered"]) == ("victim", 3)
            answer(tab, interview_id, "victim", "2", acknowledged)
            done = tab.post(f"/api/interviews/{interview_id}/complete/",
                            {"event_id": str(uuid.uuid4())})
            assert done.status_code == 200 and done.json()["status"] == "complete", done.text
        finally:
            server.stop()

    interview = Interview.objects.get(pk=interview_id)
    assert_consistent(interview, acknowledged)
    assert interview.answers == {"trading": "1", "staff": 12, "why_big": "Two shops",
                                 "victim": "2"}
    assert interview.status == Interview.Status.COMPLETE
    assert CallAttempt.objects.filter(case=case, code="1.1").count() == 1
