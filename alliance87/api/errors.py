"""Every error under /api/ is JSON of one shape:

    {"status": 400, "code": "invalid", "detail": "…", "errors": {"field": ["message", …]}}

`errors` names each field at fault (nested fields by dotted path, e.g. `values.2.value`;
errors of the whole request under `non_field_errors`); other answers carry only status, code
and detail, plus what the client needs to go on (a 409 gives `current_version`).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from alliance87.access import AccessRefused
from alliance87.accounts.models import SecurityEvent
from alliance87.accounts.services import security_event_record

NON_FIELD = "non_field_errors"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail: str, **extra) -> None:
        super().__init__(detail)
        self.extra = extra


def flat_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as {"dotted.path": [messages]}."""
    found: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.update(flat_errors(value, name))
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, value in enumerate(detail):
            if value:
                found.update(flat_errors(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        items = detail if isinstance(detail, list) else [detail]
        found[prefix or NON_FIELD] = [str(item) for item in items]
    return found


def refuse_invalid_filters(form) -> None:
    """A filter value the list cannot take is a 400 naming it (the pages name it beside the
    field and leave it out)."""
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                name: [e["message"] for e in found]
                for name, found in form.errors.get_json_data().items()
            }
        )


def _django_validation_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in error.message_dict.items()
        }
    return {NON_FIELD: [str(m) for m in error.messages]}


def body(status_code: int, code: str, detail: str, **extra) -> dict:
    return {"status": status_code, "code": code, "detail": str(detail), **extra}


def exception_handler(exc, context):
    request = context.get("request")
    if request is not None:
        # An error is JSON even where a table was asked for as CSV.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    if isinstance(exc, AccessRefused | DjangoPermissionDenied) and request is not None:
        _record_refusal(request)
    if isinstance(exc, DjangoValidationError):
        errors = _django_validation_errors(exc)
        return Response(
            body(
                400,
                "invalid",
                _("The request has errors; each is named with its field."),
                errors=errors,
            ),
            status=400,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if isinstance(exc, exceptions.ValidationError):
        response.data = body(
            response.status_code,
            "invalid",
            _("The request has errors; each is named with its field."),
            errors=flat_errors(exc.detail),
        )
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    response.data = body(
        response.status_code,
        code if isinstance(code, str) else "error",
        detail,
        **getattr(exc, "extra", {}),
    )
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response.data["retry_after"] = int(exc.wait) + (0 if exc.wait == int(exc.wait) else 1)
        response["Retry-After"] = str(response.data["retry_after"])
    return response


def _record_refusal(request) -> None:
    user = request.user if request.user and request.user.is_authenticated else None
    security_event_record(kind=SecurityEvent.Kind.ACCESS_REFUSED, request=request, user=user)


# Django's own error pages, answered as JSON under /api/ (an unknown address, a server error).
def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def json_error(status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(body(status_code, code, detail), status=status_code)


def not_found() -> JsonResponse:
    return json_error(404, "not_found", _("Not found."))


def server_error() -> JsonResponse:
    return json_error(
        500, "error", _("A server error occurred; the technical team can look it up.")
    )
