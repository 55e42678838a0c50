"""Services that write questionnaires and their versions."""

import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bas.errors import BasError
from bas.upload_limits import QUESTIONNAIRE_LIMITS, check_xlsx
from questionnaires.attached_files import attached_files
from questionnaires.engine.errors import errors_in
from questionnaires.engine.loader import check_workbook
from questionnaires.models import Questionnaire, QuestionnaireFile, QuestionnaireVersion


class QuestionnaireUploadError(BasError):
    """The workbook has problems; `fields["problems"]` lists every one with its place."""


def questionnaire_version_upload(
    *, workbook: bytes, filename: str, user=None, notes: str = "",
    files: Iterable[tuple[str, bytes]] = (),
) -> QuestionnaireVersion:
    """Check a workbook and store it as the next version of its questionnaire.

    ``files``: CSV files (name, content) uploaded with it for select_one_from_file,
    select_multiple_from_file and pulldata(), each bounded, stored with the version; a file
    a row names but not attached is an error at that row, one attached that no row reads a
    warning.

    The questionnaire is named by the workbook's `form_id` setting. A workbook with any
    error is never stored: QuestionnaireUploadError lists every problem (errors and
    warnings). Warnings do not stop the upload; they are kept in the version's summary.
    """
    # Bytes, uncompressed size, rows, columns and cells, before the workbook is parsed
    # (UploadLimitError names the limit; a corrupt file is UploadUnreadableError).
    check_xlsx(workbook, QUESTIONNAIRE_LIMITS, filename)
    attached = attached_files(files)
    definition, problems = check_workbook(workbook, filename, files=attached)
    if errors_in(problems) or definition is None:
        raise QuestionnaireUploadError(
            f"{filename}: {len(problems)} problem(s); nothing was stored",
            code="invalid_workbook",
            fields={"problems": [p.to_dict() | {"line": p.format(filename)} for p in problems]},
        )
    form_id = definition.settings.form_id or filename.rsplit(".", 1)[0]
    title = definition.settings.form_title or form_id
    with transaction.atomic():
        questionnaire, _ = Questionnaire.objects.select_for_update().get_or_create(
            form_id=form_id, defaults={"title": title}
        )
        last = questionnaire.versions.aggregate(last=Max("number"))["last"] or 0
        version = QuestionnaireVersion(
            questionnaire=questionnaire,
            number=last + 1,
            form_version=str(definition.settings.version or ""),
            definition=definition.to_dict(),
            summary=definition.summary()
            | {"warnings": [p.to_dict() | {"line": p.format(filename)} for p in problems]},
            workbook=workbook,
            filename=filename,
            sha256=hashlib.sha256(workbook).hexdigest(),
            notes=notes,
            created_by=user,
        )
        version.full_clean(exclude=["workbook", "created_by"])
        version.save()
        QuestionnaireFile.objects.bulk_create(
            QuestionnaireFile(version=version, filename=name, content=content,
                              size=len(content), sha256=hashlib.sha256(content).hexdigest())
            for name, content in attached.items())
    return version


def questionnaire_version_lock(*, version: QuestionnaireVersion) -> None:
    """Mark a version as used by an interview: from now on it cannot change."""
    QuestionnaireVersion.objects.filter(pk=version.pk, locked_at__isnull=True).update(
        locked_at=timezone.now()
    )
    version.refresh_from_db(fields=["locked_at"])
