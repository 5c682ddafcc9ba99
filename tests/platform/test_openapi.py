"""The OpenAPI schemas of the apex and of a cooperative generate without warnings and document
their own endpoints only."""

from django.core.management import call_command

from tests.clients import client_for


def test_openapi_schema_documents_the_sign_up(coops, db):
    schema = client_for("noaber.test").get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/cooperatives/"]["post"]
    assert operation["operationId"] == "cooperative_sign_up"
    assert set(operation["responses"]) >= {"201", "400"}
    tenant_schema = client_for("alfa.noaber.test").get("/api/v1/schema/?format=json").json()
    assert "/api/v1/me/" in tenant_schema["paths"]
    assert "/api/v1/cooperatives/" not in tenant_schema["paths"]


def test_openapi_schema_generates_without_warnings(coops, db):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "noaber.urls_public",
        "--file",
        "/dev/null",
    )
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "noaber.urls_tenant",
        "--file",
        "/dev/null",
    )
