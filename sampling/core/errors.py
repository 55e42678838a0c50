"""Errors raised by the sampling core, and the catalogue of frame-import problems."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bas.errors import BasError

# One catalogue of frame-import problems: code -> message template. Tests format these too.
FRAME_MESSAGES: dict[str, str] = {
    "unreadable": "cannot read the file: {detail}",
    "missing_column": "required column '{field}' is missing from the header",
    "required": "a value is required",
    "borough_unknown": "not a London borough GSS code (E09000001..E09000033) or borough name",
    "sic_format": "not a SIC 2007 code (4 or 5 digits, e.g. 62012, 6201 or 62.01/2)",
    "sic_division": "'{division}' is not a SIC 2007 division",
    "employees_invalid": "employees must be a whole number of 0 or more",
    "postcode_invalid": "not a valid UK postcode",
    "phone_invalid": "not a UK phone number (10 or 11 digits starting 0, or +44)",
    "duplicate_reference": "reference already used on row {first_row}",
    "duplicate_phone_postcode": "same phone and postcode as row {first_row}",
    "empty": "the frame has no data rows",
}


@dataclass(frozen=True)
class FrameIssue:
    """One problem in a frame file, with its place."""

    code: str
    file: str
    row: int
    field: str
    value: str
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        place = f"{self.file}"
        if self.sheet:
            place += f", sheet {self.sheet}"
        return f"{place}, row {self.row}, {self.field}={self.value!r}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def frame_issue(code: str, *, file: str, row: int, field: str, value: object,
                sheet: str | None = None, **slots: object) -> FrameIssue:
    """Build an issue from the catalogue template `code`."""
    message = FRAME_MESSAGES[code].format(field=field, **slots)
    return FrameIssue(code, file, row, field, "" if value is None else str(value), message, sheet)


class SamplingError(BasError, ValueError):
    """Base class: bad input to the sampling core."""

    default_code = "invalid_design"


class FrameError(SamplingError):
    """A frame could not be imported; `issues` lists every problem found."""

    default_code = "invalid_frame"

    def __init__(self, issues: list[FrameIssue], shown: int = 50) -> None:
        self.issues = issues
        lines = [str(issue) for issue in issues[:shown]]
        if len(issues) > shown:
            lines.append(f"... and {len(issues) - shown} more problems")
        super().__init__(
            f"the frame has {len(issues)} problem(s); nothing was imported:\n" + "\n".join(lines),
            fields={"problems": [issue.as_dict() for issue in issues]},
        )

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.summary, **self.fields}

    @property
    def summary(self) -> str:
        return f"the frame has {len(self.issues)} problem(s); nothing was imported"


class StrataError(SamplingError):
    """The strata specification does not fit the frame."""


class AllocationError(SamplingError):
    """The sample size cannot be allocated under the constraints asked for."""


class SelectionError(SamplingError):
    """The sample cannot be selected (e.g. a stratum has no eligible business)."""
