"""The OpenAPI description: every operation documents the JSON errors it may answer."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    "Error",
    {
        "status": serializers.IntegerField(),
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="each field at fault (dotted path) with its messages; 400 only",
        ),
        "current_version": serializers.IntegerField(required=False, help_text="409 only"),
        "report": serializers.IntegerField(
            required=False, help_text="409 only: the report already started"
        ),
        "retry_after": serializers.IntegerField(required=False, help_text="429 only: seconds"),
    },
)

ERRORS = {
    400: "The request has errors, named by field.",
    401: "No valid token (unknown, revoked or expired) and no session.",
    403: "Signed in, but this person may not do this.",
    404: "Not found, or not shared with this person.",
    429: "Too many requests with this token: wait Retry-After seconds.",
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method == "POST":
            errors[409] = "The report changed since it was read: current_version says how."
        for status, description in errors.items():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(
                    OpenApiResponse(response=ERROR, description=description),
                    str(status),
                    ["application/json"],
                    direction,
                )
        return responses
