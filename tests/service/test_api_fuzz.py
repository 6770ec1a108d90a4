"""Schemathesis over the service's own OpenAPI schema: whatever the schema allows, no 5xx, and every
error in the one JSON shape. Bounded: a few examples per operation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from service.api import Settings, create_app

OPERATIONS = [
    "POST /v1/check",
    "POST /v1/classify",
    "GET /v1/catalog/departments",
    "GET /v1/catalog/departments/{name}",
    "GET /v1/catalog/search",
    "POST /v1/tag",
    "POST /v1/audit",
    "POST /v1/sheet/columns",
    "POST /v1/reviews",
    "GET /v1/reviews",
    "GET /v1/reviews/queue",
    "DELETE /v1/reviews/{entry_id}",
    "GET /health",
]


@pytest.fixture(scope="module")
def operations(checker):
    app = create_app(Settings(max_items=20, max_upload_bytes=100_000), checker=checker)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        found[f"{operation.method.upper()} {operation.path}"] = operation
    return found


def test_the_schema_lists_every_operation(operations):
    assert sorted(operations) == sorted(OPERATIONS)


@pytest.mark.parametrize("name", OPERATIONS)
def test_no_server_errors(operations, name):
    operation = operations[name]

    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def call(case):
        response = case.call()
        assert response.status_code < 500, (name, response.text[:300])
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body

    call()
