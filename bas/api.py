"""API-wide pieces: the exception handler that maps domain errors to 400 responses."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from bas.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"errors": [exc.as_dict()]}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
