"""The API's OpenAPI description is valid OpenAPI 3, and the API keeps to it: a property-based
run of schemathesis, signed in as each role, finds no server error and no answer the schema
does not describe. A few examples per operation keep it short."""

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from schemathesis import checks as core_checks
from schemathesis import openapi
from schemathesis.specs.openapi import checks

from alliance87.accounts.models import User
from alliance87.accounts.tokens import api_token_create

from .conftest import FOCAL_POINT, GCG_OBSERVER, SECRETARIAT

CHECKS = [
    core_checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = 4


@pytest.fixture
def wsgi_app():
    """The portal as a WSGI application, keeping the test's database connection: a request
    normally closes its connections when it ends, which would close the one the test's
    transaction runs on (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_schema_is_valid_openapi_3(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on anything OpenAPI 3 refuses
    assert schema["openapi"].startswith("3.")
    assert {"token", "session"} <= set(schema["components"]["securitySchemes"])


def _operation_failures(schema, headers: dict) -> list[str]:
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "POST" and operation.path.endswith("/import/"):
            continue  # imports write flows for real; tests/financing/test_api.py covers them

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001  every failure is reported
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    return failures


def test_the_api_keeps_to_its_schema_for_each_role(demo, wsgi_app):
    schema = openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    failures = []
    for email in [SECRETARIAT, GCG_OBSERVER, FOCAL_POINT, None]:
        # The answers are compressed for clients that ask (GZipMiddleware); over WSGI the
        # runner does not decompress, so it asks for them plain.
        headers = {"Accept-Encoding": "identity"}
        if email is not None:
            user = User.objects.get(email=email)
            _token, plain = api_token_create(user=user, name="schema run", days=1)
            headers["Authorization"] = f"Bearer {plain}"
        failures += [f"[{email or 'anonymous'}] {f}" for f in _operation_failures(schema, headers)]
    assert not failures, "\n\n".join(failures)
