"""The one root of the system's errors: a stable machine code, a human message, the place it
concerns, and the HTTP status a request that raised it answers with.

Every app and every pure core raises a subclass (the cores may import this module, which
imports nothing of Django). Nothing catches them one by one: the API's exception handler
(`bas.api`) and the pages' error middleware (`bas.middleware`) turn any of them into a
response, so a new error class needs no new handling.
"""

from collections.abc import Mapping
from typing import Any, ClassVar


class BasError(Exception):
    """A request that cannot be honoured as asked. Subclasses set `http_status` (400 by
    default; 404 for what does not exist, 409 for a clash with the current state) and a
    `default_code`."""

    http_status: ClassVar[int] = 400
    default_code: ClassVar[str] = "invalid"

    def __init__(self, message: str = "", code: str | None = None,
                 fields: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.fields = dict(fields or {})

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        """The error as the API sends it: code, message and the fields naming the place."""
        return {"code": self.code, "message": self.message, **self.fields}


class NotFoundError(BasError):
    """What was asked for does not exist (or is not the caller's to see)."""

    http_status = 404
    default_code = "not_found"


class ConflictError(BasError):
    """The request clashes with the current state of what it changes."""

    http_status = 409
    default_code = "conflict"
