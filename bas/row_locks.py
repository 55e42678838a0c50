"""Row locks that work on PostgreSQL and on SQLite.

Call `lock_row` as the FIRST statement inside `transaction.atomic()`. PostgreSQL takes a
row lock (SELECT ... FOR NO KEY UPDATE). SQLite has no row locks: a no-op UPDATE takes the
database's write lock at once (as BEGIN IMMEDIATE would), so a concurrent writer waits for
it (the busy timeout) instead of failing when it tries to upgrade a read lock later.

SQLite still reports some contention as an error rather than waiting: a shared-cache
database (the in-memory test database) answers "database table is locked" at once, without
the busy timeout. `retry_when_locked` reruns the whole service call then: the failed
transaction was rolled back, so the retry sees the winner's committed work.
"""

import random
import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection
from django.db.models import F, Model

M = TypeVar("M", bound=Model)
P = ParamSpec("P")
R = TypeVar("R")

LOCK_RETRY_SECONDS = 10.0


def lock_row(model: type[M], pk: int) -> M:
    """The row, locked until the end of the current transaction (DoesNotExist if absent).

    On PostgreSQL the lock is FOR NO KEY UPDATE (we never change keys): it does not block
    the FOR KEY SHARE that another transaction's foreign key check takes on the row at
    COMMIT. With FOR UPDATE, next-case (holding the user row, waiting for the case row)
    and an answer save (holding the case row, checking its foreign key to the user row)
    deadlocked.
    """
    if connection.features.has_select_for_update:
        no_key = connection.features.has_select_for_no_key_update
        return model._default_manager.select_for_update(no_key=no_key).get(pk=pk)
    name = model._meta.pk.name
    model._default_manager.filter(pk=pk).update(**{name: F(name)})
    return model._default_manager.get(pk=pk)


def retry_when_locked(func: Callable[P, R]) -> Callable[P, R]:
    """On SQLite, rerun `func` (with backoff) when the database reports it is locked.

    Only at the outermost level: inside a caller's transaction the error is raised, since
    only the whole transaction can be retried.
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        deadline = time.monotonic() + LOCK_RETRY_SECONDS
        delay = 0.002
        while True:
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if not _retryable(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 0.05)

    return wrapper


def _retryable(exc: OperationalError) -> bool:
    return (connection.vendor == "sqlite" and not connection.in_atomic_block
            and "locked" in str(exc))
