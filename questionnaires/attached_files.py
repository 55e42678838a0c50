"""CSV files uploaded with a questionnaire workbook: named, counted and bounded before the
engine reads them (bas/upload_limits.py)."""

from collections.abc import Iterable
from pathlib import PurePosixPath, PureWindowsPath

from bas.errors import BasError
from bas.upload_limits import MAX_QUESTIONNAIRE_FILES, QUESTIONNAIRE_FILE_LIMITS, check_csv_content

MAX_NAME = 255


class AttachedFileError(BasError):
    """A file sent with the workbook cannot be attached (named in `fields["file"]`)."""

    default_code = "invalid_attached_file"


def attached_files(files: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """The files by name (as the workbook refers to them: no folders); each a .csv within
    the limits, no name twice, at most MAX_QUESTIONNAIRE_FILES."""
    found: dict[str, bytes] = {}
    for raw_name, content in files:
        name = PureWindowsPath(PurePosixPath(raw_name or "").name).name.strip()
        if len(found) >= MAX_QUESTIONNAIRE_FILES:
            raise AttachedFileError(
                f"At most {MAX_QUESTIONNAIRE_FILES} CSV files can be attached to a "
                "questionnaire.", code="too_many_files",
                fields={"limit": MAX_QUESTIONNAIRE_FILES, "file": name})
        if not name.lower().endswith(".csv") or len(name) > MAX_NAME:
            raise AttachedFileError(
                f"{name or 'a file without a name'}: only .csv files (names of at most "
                f"{MAX_NAME} characters) can be attached to a questionnaire.",
                fields={"file": name})
        if name in found:
            raise AttachedFileError(f"{name} is attached twice: attach each file once.",
                                    fields={"file": name})
        check_csv_content(content, QUESTIONNAIRE_FILE_LIMITS, name)
        found[name] = content
    return found
