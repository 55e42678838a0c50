"""CSV downloads of the fieldwork pages: streamed, every cell through the one formula-safety
function (bas.cells), so a business reference or a name can never run as a formula."""

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

from bas.cells import safe_row


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_download(filename: str, columns: Sequence[str],
                 rows: Iterable[Sequence[object]]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(columns)
        for row in rows:
            yield writer.writerow(safe_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
