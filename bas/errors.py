"""Domain errors: a machine code, a human message and the place it concerns.

Pure cores raise their own subclasses; the API's exception handler turns any
DomainError into a 400 response with the same fields.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DomainError(Exception):
    message: str
    code: str = "invalid"
    fields: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.fields}
