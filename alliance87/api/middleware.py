import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from alliance87.accounts.tokens import api_request_record

from .errors import is_api

logger = logging.getLogger("alliance87.api")


class ApiRequestLogMiddleware:
    """Every request under /api/ is logged and stored with its token, person, IP and UTC time."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_api(request):
            try:
                api_request_record(request=request, status=response.status_code)
            except DatabaseError:
                # The answer stands; the log line says what the database could not keep.
                logger.warning(
                    "api request not stored %s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                )
        return response
