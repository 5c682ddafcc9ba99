"""Bad input never reaches a 500 (issue 14, item 7): one request of each bad kind to every write
endpoint of the cooperative's API and the apex's answers 400 with the structured error, and
nothing was written. The endpoints are read from the OpenAPI schemas, so an endpoint another
feature adds is tried here without a change. Pages: a NUL in a form or a query string gets a
Dutch message.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings

from cooperatives.points.models import Transfer
from tests.clients import JSON, client_for, logged_in_client
from tests.factories import MemberFactory
from tests.state import board_member, count_rows, database_fingerprint, member_snapshot

WRITES = ("post", "put", "patch", "delete")
NUL = "a\x00b"
# Each kind: the body sent (JSON text) for a request schema's properties.
KINDS = {
    "deep": lambda props: (
        json.dumps({props[0] if props else "x": 0})[:-1].replace(
            ": 0", ": " + "[" * 1000 + "]" * 1000
        )
        + "}"
    ),
    "nul": lambda props: json.dumps(dict.fromkeys(props or ["x"], NUL)),
    "nan": lambda props: "{" + ", ".join(f'"{name}": NaN' for name in props or ["x"]) + "}",
    "infinity": lambda props: "{" + ", ".join(f'"{n}": -Infinity' for n in props or ["x"]) + "}",
    "huge_list": lambda props: json.dumps({name: ["x"] * 10_000 for name in props or ["x"]}),
}


def _operations(schema: dict) -> list[tuple[str, str, list[str]]]:
    """(method, path, request properties) of every write operation of the schema."""
    components = schema["components"]["schemas"]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in WRITES:
                continue
            content = operation.get("requestBody", {}).get("content", {}).get(JSON, {})
            ref = content.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
            found.append((method, path, sorted(components.get(ref, {}).get("properties", {}))))
    return found


def _url(path: str) -> str:
    # The refusal comes before the view: any id will do (they need not exist).
    for name in ("{id}", "{year}", "{number}", "{network}"):
        path = path.replace(name, "1")
    assert "{" not in path, path
    return path


def _assert_structured_400(response: Any, what: str) -> None:
    assert response.status_code == 400, (what, response.status_code, response.content[:300])
    body = response.json()
    assert body["type"] == "validation_error", (what, body)
    assert body["errors"] and all(
        set(error) == {"attr", "code", "detail"} and error["detail"] for error in body["errors"]
    ), (what, body)


def _every_kind(client, schema_url: str, schemas: tuple[str, ...]) -> int:
    schema = client.get(schema_url, {"format": "json"}).json()
    operations = _operations(schema)
    before = database_fingerprint(*schemas)
    for method, path, props in operations:
        url = _url(path)
        for kind, body in KINDS.items():
            response = getattr(client, method)(url, body(props), content_type=JSON)
            _assert_structured_400(response, f"{kind} {method} {path}")
        response = getattr(client, method)(f"{url}?zoek={NUL}", "{}", content_type=JSON)
        _assert_structured_400(response, f"NUL query {method} {path}")
        assert response.json()["errors"][0]["attr"] == "zoek"
        form = dict.fromkeys(props or ["x"], NUL)
        response = getattr(client, method)(url, form) if method == "post" else None
        if response is not None:
            _assert_structured_400(response, f"NUL form {method} {path}")
    assert database_fingerprint(*schemas) == before
    return len(operations)


@pytest.mark.timeout(240)
def test_every_write_of_the_cooperative_api_refuses_each_bad_kind(alfa, beta):
    client = logged_in_client(alfa)
    count = _every_kind(client, "/api/v1/schema/", (alfa.schema, beta.schema, "public"))
    assert count > 80  # the schema was read: every write endpoint was tried


def test_every_write_of_the_apex_api_refuses_each_bad_kind(alfa, beta):
    client = client_for(settings.PLATFORM_DOMAIN)
    count = _every_kind(client, "/api/v1/schema/", ("public", alfa.schema, beta.schema))
    assert count >= 2  # the sign-up and the savings parameters


def test_the_refusal_names_the_kind(alfa, beta):
    client = logged_in_client(alfa)
    deep = client.post("/api/v1/clusters/", "[" * 1000 + "]" * 1000, content_type=JSON)
    nan = client.post("/api/v1/clusters/", '{"name": NaN}', content_type=JSON)
    nul = client.post("/api/v1/clusters/", {"name": NUL}, content_type=JSON)
    lists = client.post("/api/v1/clusters/", {"name": ["x"] * 1001}, content_type=JSON)
    assert [e["code"] for e in deep.json()["errors"]] == ["too_deep"]
    assert [e["code"] for e in nan.json()["errors"]] == ["not_a_number"]
    assert [(e["attr"], e["code"]) for e in nul.json()["errors"]] == [
        ("name", "null_characters_not_allowed")
    ]
    assert [(e["attr"], e["code"]) for e in lists.json()["errors"]] == [("name", "max_length")]


# --- loose types: ids and numbers are integers --------------------------------------------------

LOOSE = [1.5, "1.5", True, 1.0, "1.0", "1e0"]


def _writer(coop):
    """A client of a member with every role that writes, so no permission refusal comes first."""
    member = MemberFactory(
        schema=coop.schema, roles=["coordinator", "board_chair", "board_treasurer"]
    )
    return logged_in_client(coop, member=member)


@pytest.mark.parametrize("value", LOOSE)
def test_points_for_member_one_point_five_are_refused(alfa, beta, value):
    """The black-box run booked points for member 1 with "member": 1.5."""
    client = _writer(alfa)
    target = MemberFactory(schema=alfa.schema)
    transfers = count_rows(alfa, Transfer)
    response = client.post(
        "/api/v1/points/grants/",
        {"member": value, "amount": "2", "reason": "Bedankt"},
        content_type=JSON,
    )
    _assert_structured_400(response, str(value))
    assert ("member", "incorrect_type") in [
        (e["attr"], e["code"]) for e in response.json()["errors"]
    ]
    assert count_rows(alfa, Transfer) == transfers
    assert target.pk  # a real member 1.5 could have been rounded to


@pytest.mark.timeout(120)
def test_every_integer_of_the_api_refuses_a_loose_value(alfa, beta):
    """Every integer property of a request schema without path arguments, given 1.5, "1.5" or
    true, is refused by name (the other fields may be refused too, for being absent). Asked by
    a member with every role that writes, so no permission refusal comes first."""
    client = _writer(alfa)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    tried = 0
    accepted = []
    for method, path, props in _operations(schema):
        if "{" in path:
            continue
        ref = (
            schema["paths"][path][method]["requestBody"]["content"][JSON]["schema"]["$ref"]
            if props
            else ""
        )
        for name, spec in components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}).items():
            many = spec.get("type") == "array"
            if (spec.get("items", {}) if many else spec).get("type") != "integer":
                continue
            for value in (1.5, "1.5", True):
                response = getattr(client, method)(
                    path, {name: [value] if many else value}, content_type=JSON
                )
                attrs = (
                    {e["attr"] for e in response.json()["errors"]}
                    if response.status_code == 400
                    else {response.status_code}
                )
                if name not in attrs and f"{name}.0" not in attrs:
                    accepted.append((method, path, name, value, attrs))
                tried += 1
    assert accepted == []
    assert tried > 40


def test_a_profile_keeps_sensible_list_sizes(alfa, beta):
    client = _writer(alfa)
    me = MemberFactory(schema=alfa.schema)
    before = member_snapshot(alfa.schema, me.pk)
    for name, items in {
        "languages": [f"taal {n}" for n in range(11)],
        "talents": [f"talent {n}" for n in range(31)],
        "availability": ["ma-ochtend"] * 22,
    }.items():
        response = client.patch(f"/api/v1/members/{me.pk}/", {name: items}, content_type=JSON)
        _assert_structured_400(response, name)
        assert (name, "max_length") in [(e["attr"], e["code"]) for e in response.json()["errors"]]
    response = client.patch(f"/api/v1/members/{me.pk}/", {"name": "x" * 151}, content_type=JSON)
    _assert_structured_400(response, "name")
    assert member_snapshot(alfa.schema, me.pk) == before


# --- pages -------------------------------------------------------------------------------------

DUTCH = "Dit bevat een ongeldig teken (een nul-teken)"


def test_a_page_form_with_a_nul_gets_a_dutch_message(alfa, beta):
    client = logged_in_client(alfa)
    me = board_member(alfa)
    before = member_snapshot(alfa.schema, me.pk)
    response = client.post("/mijn-gegevens/bewerken/", {"name": NUL, "street": "Hoofdstraat"})
    assert response.status_code == 400
    page = response.content.decode()
    assert DUTCH in page and "Ga terug naar de vorige pagina" in page
    assert member_snapshot(alfa.schema, me.pk) == before


def test_a_page_query_string_with_a_nul_gets_a_dutch_message(alfa, beta):
    client = logged_in_client(alfa)
    for url in ("/leden/?q=a%00b", "/markt/?cluster=%00", "/inloggen/?next=/%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert DUTCH in response.content.decode(), url
    apex = client_for(settings.PLATFORM_DOMAIN).get("/aanmelden/?slug=%00")
    assert apex.status_code == 400 and DUTCH in apex.content.decode()
