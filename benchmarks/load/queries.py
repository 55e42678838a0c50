"""Database queries per answer save, measured in process on the benchmark's own database after
the run: answers saved to interviews left in progress, by the service the API calls, each
counted with Django's query capture (transaction statements apart)."""

import random
import uuid
from statistics import median

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bas.errors import BasError
from benchmarks.load.client import candidates
from survey.api.fieldwork import InterviewStateOutput
from survey.models import Interview
from survey.services.interviews import answer_submit, interview_state

TRANSACTION = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")


def _save_one(interview: Interview, rng: random.Random) -> int | None:
    prompt = InterviewStateOutput(interview_state(interview=interview)).data["prompt"]
    if prompt is None:
        return None
    for kind, value in candidates(prompt, rng):
        with CaptureQueriesContext(connection) as captured:
            try:
                answer_submit(interview=interview, user=interview.case.assigned_to,
                              event_id=uuid.uuid4(), path=prompt["path"], kind=kind,
                              value=value)
            except BasError:
                continue  # refused by the engine: try the next candidate
        return sum(1 for q in captured.captured_queries
                   if not q["sql"].lstrip().upper().startswith(TRANSACTION))
    return None


def queries_per_answer_save(wave_id: int, interviews: int = 20, seed: int = 1) -> list[int]:
    """Queries of each measured save (the first save of the process, which loads the
    questionnaire into the cache, is left out)."""
    rng = random.Random(seed)
    running = (Interview.objects.filter(case__wave_id=wave_id, status="in_progress",
                                        case__assigned_to__isnull=False)
               .select_related("case__assigned_to")[:interviews + 1])
    counts = [n for interview in running if (n := _save_one(interview, rng)) is not None]
    return counts[1:]


def queries_line(counts: list[int]) -> str:
    if not counts:
        return "queries per answer save: not measured (no interview left in progress)"
    return (f"queries per answer save (in process, {len(counts)} saves): median "
            f"{median(counts):g}, max {max(counts)}")
