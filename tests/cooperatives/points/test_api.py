"""The points ledger through the API (/api/v1/points/…) on `beta` (WIJ rules) beside `alfa`:
the same services as the pages, so a repeated idempotency key books once (200 with the first
transfer), refusals come back as structured errors with the ledger's codes and nothing is
booked, a missing right is a structured 403, and another cooperative's ids are not found."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from cooperatives.points import services
from cooperatives.points.models import Account, Transfer, YearEndSnapshot
from tests.clients import client_for, error_codes, logged_in_client
from tests.factories import MemberFactory, beyond, pending_payment
from tests.state import (
    balance,
    board_member,
    ledger_counts,
    payment_volunteer,
    pot,
    transfer_status,
)


def post(client, path: str, data: dict | None = None):
    return client.post(f"/api/v1/points/{path}", data or {}, content_type="application/json")


def get(client, path: str):
    return client.get(f"/api/v1/points/{path}")


def test_my_balance_limits_and_statement(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen"),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    with schema_context(beta.schema):
        starter = services.starter_points_grant(member=mia)
        gift = services.points_gift(giver=mia, receiver=noor, amount="2,5", memo="Soep", key="k")
    client = logged_in_client(beta, member=mia)

    me = get(client, "me/")
    assert me.status_code == 200
    data = me.json()
    assert {k: data[k] for k in ("balance", "min_balance", "max_balance", "starter_points")} == {
        "balance": "7.50",
        "min_balance": -20,
        "max_balance": 20,
        "starter_points": 10,
    }
    assert data["pending_count"] == 0
    assert [
        (r["transfer"], r["kind"], r["memo"], r["other"], r["amount"], r["balance_after"])
        for r in data["recent"]
    ] == [
        (gift.pk, "gift", "Soep", "Noor Bakker", "-2.50", "7.50"),
        (starter.pk, "starter", "Startpunten", "uitgifte", "10.00", "10.00"),
    ]

    statement = get(client, "me/statement/").json()
    assert statement["count"] == 2
    assert [(r["kind"], r["other"], r["amount"]) for r in statement["results"]] == [
        ("gift", "Noor Bakker", "-2.50"),
        ("starter", "uitgifte", "10.00"),
    ]
    # On alfa (no points rules): nothing, and no limits.
    alfa_me = get(logged_in_client(alfa), "me/").json()
    assert (alfa_me["balance"], alfa_me["min_balance"], alfa_me["recent"]) == ("0.00", None, [])
    assert get(logged_in_client(alfa), "me/statement/").json()["count"] == 0


def test_a_gift_with_the_same_key_is_booked_once(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=10),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    client = logged_in_client(beta, member=mia)
    before = ledger_counts(beta.schema)
    body = {"receiver": noor.pk, "amount": "1,5", "memo": "Bedankt", "idempotency_key": "abc-1"}
    first = post(client, "gifts/", body)
    assert first.status_code == 201, first.content
    booked = first.json()
    assert (booked["kind"], booked["status"], booked["memo"]) == ("gift", "booked", "Bedankt")
    assert booked["lines"] == [
        {"account": services_account(beta, mia), "holder": "Mia Jansen", "amount": "-1.50"},
        {"account": services_account(beta, noor), "holder": "Noor Bakker", "amount": "1.50"},
    ]
    again = post(client, "gifts/", {**body, "amount": 3})
    assert again.status_code == 200
    assert again.json()["id"] == booked["id"]
    assert ledger_counts(beta.schema) == (before[0] + 1, before[1] + 2)
    assert (balance(beta, mia), balance(beta, noor)) == (Decimal("8.50"), Decimal("1.50"))

    other = post(client, "gifts/", {**body, "amount": 2, "idempotency_key": "abc-2"})
    assert other.status_code == 201 and other.json()["id"] != booked["id"]
    assert balance(beta, mia) == Decimal("6.50")


def services_account(coop, who: Member) -> int:
    with schema_context(coop.schema):
        return Account.objects.get(member=who).pk


def test_refused_gifts_come_back_with_the_ledgers_code_and_book_nothing(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=-18),
        MemberFactory(schema=beta.schema, name="Noor Bakker", points=19),
    )
    client = logged_in_client(beta, member=mia)
    before = ledger_counts(beta.schema)
    for body, expected in (
        ({"receiver": noor.pk, "amount": 3}, [("amount", "below_minimum")]),
        ({"receiver": mia.pk, "amount": 1}, [("receiver", "self")]),
        ({"receiver": noor.pk, "amount": "0"}, [("amount", "invalid")]),
        ({"receiver": noor.pk, "amount": "veel"}, [("amount", "invalid")]),
        ({"receiver": 999999, "amount": 1}, [("receiver", "does_not_exist")]),
        ({"amount": 1}, [("receiver", "required")]),
    ):
        response = post(client, "gifts/", {"idempotency_key": "k", **body})
        assert response.status_code == 400, body
        assert error_codes(response) == expected
    low = post(client, "gifts/", {"receiver": noor.pk, "amount": 3, "idempotency_key": "k"})
    assert "het laagste saldo is -20." in low.json()["errors"][0]["detail"]
    # Mia may give 1 more, but Noor would pass the highest balance.
    high = post(client, "gifts/", {"receiver": noor.pk, "amount": 2, "idempotency_key": "k"})
    assert error_codes(high) == [("amount", "above_maximum")]
    assert ledger_counts(beta.schema) == before
    assert (balance(beta, mia), balance(beta, noor)) == (Decimal("-18"), Decimal("19"))


def test_another_cooperatives_member_is_not_a_receiver(alfa, beta):
    beyond(alfa, beta, Member)
    alma = MemberFactory(schema=alfa.schema, name="Alma van Alfa")
    with schema_context(beta.schema):
        assert not Member.objects.filter(pk=alma.pk).exists()
    mia = MemberFactory(schema=beta.schema, name="Mia Jansen", points=5)
    before = ledger_counts(alfa.schema), ledger_counts(beta.schema)
    client = logged_in_client(beta, member=mia)
    response = post(client, "gifts/", {"receiver": alma.pk, "amount": 1, "idempotency_key": "k"})
    assert response.status_code == 400
    assert error_codes(response) == [("receiver", "does_not_exist")]
    coordinator = logged_in_client(
        beta, member=MemberFactory(schema=beta.schema, roles=["coordinator"])
    )
    grant = post(
        coordinator,
        "grants/",
        {"member": alma.pk, "amount": 1, "reason": "x", "idempotency_key": "k"},
    )
    assert error_codes(grant) == [("member", "does_not_exist")]
    correction = post(
        logged_in_client(beta),
        "corrections/",
        {"member": alma.pk, "amount": 1, "reason": "x", "idempotency_key": "k"},
    )
    assert error_codes(correction) == [("member", "does_not_exist")]
    assert (ledger_counts(alfa.schema), ledger_counts(beta.schema)) == before


def test_donations_and_grants_through_the_pot(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=10),
        MemberFactory(schema=beta.schema, name="Noor Bakker", points=-10),
    )
    coordinator = MemberFactory(schema=beta.schema, name="Cora", roles=["coordinator"])
    as_mia = logged_in_client(beta, member=mia)
    donated = post(as_mia, "donations/", {"amount": "4", "idempotency_key": "d1"})
    assert donated.status_code == 201
    assert donated.json()["kind"] == "donation"
    assert post(as_mia, "donations/", {"amount": "4", "idempotency_key": "d1"}).status_code == 200
    assert (pot(beta), balance(beta, mia)) == (Decimal("4"), Decimal("6"))

    as_cora = logged_in_client(beta, member=coordinator)
    grant = {"member": noor.pk, "amount": 3, "reason": "Kan even niets terugdoen"}
    made = post(as_cora, "grants/", {**grant, "idempotency_key": "g1"})
    assert made.status_code == 201
    assert (made.json()["kind"], made.json()["memo"]) == ("grant", "Kan even niets terugdoen")
    assert (pot(beta), balance(beta, noor)) == (Decimal("1"), Decimal("-7"))

    before = ledger_counts(beta.schema)
    empty = post(as_cora, "grants/", {**grant, "amount": 2, "idempotency_key": "g2"})
    assert empty.status_code == 400 and error_codes(empty) == [("amount", "pot_empty")]
    no_reason = post(as_cora, "grants/", {**grant, "reason": " ", "idempotency_key": "g3"})
    assert error_codes(no_reason) == [("reason", "required")]
    forbidden = post(as_mia, "grants/", {**grant, "idempotency_key": "g4"})
    assert forbidden.status_code == 403
    assert forbidden.json()["type"] == "client_error"
    assert ledger_counts(beta.schema) == before and pot(beta) == Decimal("1")


def test_corrections_and_reversals_by_the_board_only(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=10),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    with schema_context(beta.schema):
        gift = services.points_gift(giver=mia, receiver=noor, amount="4", key="g")
    board = logged_in_client(beta)
    before = ledger_counts(beta.schema)
    for roles in ([], ["coordinator"], ["audit_committee"]):
        client = logged_in_client(beta, member=MemberFactory(schema=beta.schema, roles=roles))
        body = {"member": mia.pk, "amount": 5, "reason": "x", "idempotency_key": "c"}
        assert post(client, "corrections/", body).status_code == 403
        assert post(client, f"transfers/{gift.pk}/reverse/", {"reason": "x"}).status_code == 403
    assert ledger_counts(beta.schema) == before

    corrected = post(
        board,
        "corrections/",
        {"member": mia.pk, "amount": "-2", "reason": "Dubbel", "idempotency_key": "c1"},
    )
    assert corrected.status_code == 201
    assert corrected.json()["kind"] == "correction"
    assert balance(beta, mia) == Decimal("4")
    zero = post(
        board,
        "corrections/",
        {"member": mia.pk, "amount": 0, "reason": "x", "idempotency_key": "z"},
    )
    assert error_codes(zero) == [("amount", "invalid")]

    reversed_ = post(board, f"transfers/{gift.pk}/reverse/", {"reason": "Verkeerd lid"})
    assert reversed_.status_code == 201
    assert (reversed_.json()["kind"], reversed_.json()["reverses"]) == ("reversal", gift.pk)
    again = post(board, f"transfers/{gift.pk}/reverse/", {"reason": "Nog eens"})
    assert again.status_code == 200 and again.json()["id"] == reversed_.json()["id"]
    assert (balance(beta, mia), balance(beta, noor)) == (Decimal("8"), Decimal("0"))
    of_reversal = post(board, f"transfers/{reversed_.json()['id']}/reverse/", {"reason": "x"})
    assert error_codes(of_reversal) == [(None, "not_reversible")]
    assert (balance(beta, mia), balance(beta, noor)) == (Decimal("8"), Decimal("0"))


def test_another_cooperatives_transfer_is_not_found(alfa, beta):
    beyond(beta, alfa, Transfer)
    mia = MemberFactory(schema=beta.schema, name="Mia Jansen", points=5)
    with schema_context(beta.schema):
        gift = services.points_gift(giver=mia, receiver=board_member(beta), amount="2", key="g")
    with schema_context(alfa.schema):
        assert not Transfer.objects.filter(pk=gift.pk).exists()
    before = ledger_counts(alfa.schema), ledger_counts(beta.schema)
    response = post(logged_in_client(alfa), f"transfers/{gift.pk}/reverse/", {"reason": "x"})
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"
    assert (ledger_counts(alfa.schema), ledger_counts(beta.schema)) == before


def test_pending_service_payments_approve_and_reject(alfa, beta):
    rita = MemberFactory(schema=beta.schema, name="Rita Hulpvrager")
    first = pending_payment(beta, requester=rita)
    second = pending_payment(beta, requester=rita, hours="1")
    vera = payment_volunteer(beta, first)
    as_rita = logged_in_client(beta, member=rita)

    listed = get(as_rita, "pending/").json()
    assert [(t["id"], t["status"], t["memo"]) for t in listed["results"]] == [
        (first.pk, "pending", "Dienst: Kraan repareren"),
        (second.pk, "pending", "Dienst: Kraan repareren"),
    ]
    assert [(line["holder"], line["amount"]) for line in listed["results"][0]["lines"]] == [
        ("Rita Hulpvrager", "-3.00"),
        ("Vera Vrijwilliger", "3.00"),
    ]
    assert get(as_rita, "me/").json()["pending_count"] == 2
    as_vera = logged_in_client(beta, member=vera)
    assert get(as_vera, "pending/").json()["count"] == 0
    assert post(as_vera, f"pending/{first.pk}/approve/").status_code == 404
    assert transfer_status(beta, first) == Transfer.Status.PENDING

    approved = post(as_rita, f"pending/{first.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "booked"
    assert (balance(beta, rita), balance(beta, vera)) == (Decimal("-3"), Decimal("3"))
    twice = post(as_rita, f"pending/{first.pk}/approve/")
    assert twice.status_code == 400 and error_codes(twice) == [(None, "decided")]

    before = ledger_counts(beta.schema)
    rejected = post(as_rita, f"pending/{second.pk}/reject/")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert ledger_counts(beta.schema) == before
    assert (balance(beta, rita), balance(beta, vera)) == (Decimal("-3"), Decimal("3"))
    assert get(as_rita, "pending/").json()["count"] == 0

    # alfa's members do not reach beta's payments.
    with schema_context(alfa.schema):
        assert not Transfer.objects.filter(pk=first.pk).exists()
    assert post(logged_in_client(alfa), f"pending/{second.pk}/approve/").status_code == 404
    assert transfer_status(beta, second) == Transfer.Status.REJECTED


def test_the_overview_and_accounts_for_the_board_and_audit_committee(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen"),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    with schema_context(beta.schema):
        services.starter_points_grant(member=mia)
        services.starter_points_grant(member=noor)
        services.points_donate(member=noor, amount="2", key="d")
        services.points_correct(
            actor=board_member(beta),
            account=services.account_open(member=mia),
            amount="-15",
            reason="x",
            key="c",
        )
    pending_payment(beta, requester=noor)
    overview = get(logged_in_client(beta), "overview/")
    assert overview.status_code == 200
    assert overview.json() == {
        "positive": "8.00",
        "negative": "-5.00",
        "solidarity": "2.00",
        "share": "0.00",
        "in_circulation": "5.00",
        "issued": "5.00",
        "balanced": True,
        "pending_count": 1,
    }
    auditor = logged_in_client(
        beta, member=MemberFactory(schema=beta.schema, roles=["audit_committee"])
    )
    accounts = get(auditor, "accounts/").json()
    assert [(a["kind"], a["holder"], a["balance"]) for a in accounts["results"]] == [
        ("issuance", "uitgifte", "-5.00"),
        ("solidarity", "solidariteitspot", "2.00"),
        ("member", "Mia Jansen", "-5.00"),
        ("member", "Noor Bakker", "8.00"),
        ("member", "Vera Vrijwilliger", "0.00"),
    ]
    plain = logged_in_client(beta, member=mia)
    for path in ("overview/", "accounts/", "snapshots/"):
        assert get(plain, path).status_code == 403
    # alfa's board sees only alfa's ledger.
    alfa_board = logged_in_client(alfa)
    assert get(alfa_board, "accounts/").json()["count"] == 0
    assert get(alfa_board, "overview/").json()["in_circulation"] == "0.00"


def test_year_end_snapshots(alfa, beta):
    last_year = timezone.localdate().year - 1
    mia = MemberFactory(schema=beta.schema, name="Mia Jansen")
    with schema_context(beta.schema):
        services.starter_points_grant(member=mia)
    board = logged_in_client(beta)
    assert get(board, "snapshots/").json()["count"] == 0
    now = post(board, "snapshots/", {"year": timezone.localdate().year})
    assert now.status_code == 400 and error_codes(now) == [("year", "not_ended")]
    assert (
        post(logged_in_client(beta, member=mia), "snapshots/", {"year": last_year}).status_code
        == 403
    )
    with schema_context(beta.schema):
        assert not YearEndSnapshot.objects.exists()

    taken = post(board, "snapshots/", {"year": last_year})
    assert (taken.status_code, taken.json()) == (201, {"year": last_year, "created": 2})
    assert post(board, "snapshots/", {"year": last_year}).json() == {
        "year": last_year,
        "created": 0,
    }
    listed = get(board, f"snapshots/?year={last_year}").json()
    # Mia's starter points came this year: at the end of last year every balance was 0.
    assert [(s["year"], s["holder"], s["balance"]) for s in listed["results"]] == [
        (last_year, "uitgifte", "0.00"),
        (last_year, "Mia Jansen", "0.00"),
    ]
    assert get(board, f"snapshots/?year={last_year - 1}").json()["count"] == 0


def test_the_points_api_needs_a_login(alfa, beta):
    anonymous = client_for(beta.host)
    before = ledger_counts(beta.schema)
    assert get(anonymous, "me/").status_code == 403
    assert post(anonymous, "donations/", {"amount": 1, "idempotency_key": "k"}).status_code == 403
    assert ledger_counts(beta.schema) == before


def test_the_openapi_schema_documents_the_points_api(alfa, beta):
    paths = client_for(beta.host).get("/api/v1/schema/?format=json").json()["paths"]
    assert set(paths["/api/v1/points/gifts/"]["post"]["responses"]) >= {"200", "201", "400", "403"}
    assert paths["/api/v1/points/pending/{id}/approve/"]["post"]["operationId"] == (
        "points_pending_approve"
    )
