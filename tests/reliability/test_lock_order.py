"""Two tabs of one interviewer: an answer being saved while the other tab asks for the next
case (or a client retries next-case after a timeout) must not deadlock.

Found by the load benchmark on PostgreSQL: the answer's transaction holds the case row and,
at COMMIT, checks its deferred foreign key to the user row (FOR KEY SHARE); next-case held
the user row FOR UPDATE and then waited for the case row. FOR NO KEY UPDATE on the user row
(row_locks.lock_row) does not conflict with FOR KEY SHARE, so the two now queue instead.
"""

import threading
import time
import uuid
from datetime import timedelta
from unittest import mock

from survey.models import AnswerEvent
from survey.services import interviews
from survey.services.interviews import answer_submit, interview_start_or_resume
from survey.services.queue import case_next
from tests.reliability.checks import assert_consistent
from tests.survey.fieldwork_factories import OPEN_NOW
from tests.survey.test_fieldwork_concurrency import run_at_once


def test_answer_save_and_next_case_of_one_interviewer_at_once_do_not_deadlock(field):
    wave, me, case = field
    state, _ = interview_start_or_resume(case=case, user=me, now=OPEN_NOW)
    inside_save = threading.Event()
    real_state = interviews._state

    def slow_state(interview, session=None):
        # Still inside the answer's transaction (case row locked, event inserted): let the
        # other tab's next-case request run into the locks before this one commits.
        inside_save.set()
        time.sleep(0.5)
        return real_state(interview, session)

    event_id = uuid.uuid4()

    def work(i: int):
        if i == 0:
            return answer_submit(interview=state.interview, user=me, event_id=event_id,
                                 path="trading", value="1", now=OPEN_NOW)
        assert inside_save.wait(10)
        return case_next(wave=wave, user=me, now=OPEN_NOW + timedelta(minutes=1))

    with mock.patch.object(interviews, "_state", slow_state):
        saved, offered = run_at_once(work, n=2)

    assert not isinstance(saved, Exception), saved
    assert not isinstance(offered, Exception), offered
    assert (offered.reason, offered.case.pk) == ("held", case.pk)
    event = AnswerEvent.objects.get(event_id=event_id)
    assert_consistent(state.interview, [{"event_id": str(event_id), "path": "trading",
                                         "kind": "answer", "value": "1"}])
    assert event.value == "1"
