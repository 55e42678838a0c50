"""The API's one exception handler: any BasError answers with its own HTTP status and
`{"errors": [{"code", "message", ...fields naming the place}]}`; everything else is DRF's."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from bas.errors import BasError


def exception_handler(exc, context):
    if isinstance(exc, BasError):
        return Response({"errors": [exc.as_dict()]}, status=exc.http_status)
    return drf_exception_handler(exc, context)
