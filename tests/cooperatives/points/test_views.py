"""The points pages on `beta` (WIJ rules: starter points 10, balances -20..+20, the recipient
approves a service payment first) beside `alfa` (no points rules): my balance and statement
(also as CSV), giving with a key that books a resubmit once, the solidarity pot, approving a
service payment, and the board's overview, corrections and reversals.

Every refusal shows the ledger's Dutch message with status 400 and books nothing; a missing
right is the 403 page; another cooperative's ids are not found and change nothing."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from cooperatives.members.services import member_erase
from cooperatives.points import services
from cooperatives.points.models import Account, Posting, Transfer, YearEndSnapshot
from shared.audit.models import AuditEntry
from tests.clients import logged_in_client
from tests.factories import MemberFactory, beyond, pending_payment
from tests.pages import audit, body
from tests.state import (
    balance,
    board_member,
    ledger_counts,
    payment_volunteer,
    pot,
    transfer_status,
)


def table_rows(page: str, nth: int = 0) -> list[list[str]]:
    """The cells of the ``nth`` table body on the page, tags and surrounding space removed."""
    body = page.split("<tbody>")[nth + 1].split("</tbody>")[0]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        )
    ]


def form_key(page: str, prefix: str = "") -> str:
    name = f"{prefix}-idempotency_key" if prefix else "idempotency_key"
    return re.search(rf'name="{name}" value="([0-9a-f]+)"', page).group(1)


def today() -> str:
    day = timezone.localdate()
    return day.strftime("%d-%m-%Y")


@contextmanager
def booked_on(moment: dt.datetime):
    """Postings made inside carry ``moment`` as their date (for year-end snapshots)."""
    field = Posting._meta.get_field("created_at")
    with mock.patch.object(field, "_get_default", lambda: moment):
        yield


# --- my points ---------------------------------------------------------------------------------


def test_my_balance_and_statement_newest_first_with_the_other_party(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen"),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    with schema_context(beta.schema):
        services.starter_points_grant(member=mia)
        services.points_gift(giver=mia, receiver=noor, amount="3", memo="Voor de soep", key="k1")
        services.points_gift(giver=noor, receiver=mia, amount="1,5", memo="", key="k2")

    page = body(logged_in_client(beta, member=mia).get("/punten/"))
    assert "Uw saldo: <strong>8,50 punten</strong>" in page
    assert table_rows(page) == [
        [today(), "gift", "", "Noor Bakker", "+1,50", "8,50"],
        [today(), "gift", "Voor de soep", "Noor Bakker", "-3", "7"],
        [today(), "startpunten", "Startpunten", "uitgifte", "+10", "10"],
    ]
    assert "Laagste saldo: -20" in page and "Hoogste saldo: 20" in page
    assert "Startpunten voor nieuwe leden: 10" in page
    assert table_rows(body(logged_in_client(beta, member=noor).get("/punten/"))) == [
        [today(), "gift", "", "Mia Jansen", "-1,50", "1,50"],
        [today(), "gift", "Voor de soep", "Mia Jansen", "+3", "3"],
    ]

    # On alfa (no points rules) a member starts at 0 with an empty statement, and no limits.
    alfa_page = body(
        logged_in_client(alfa, member=MemberFactory(schema=alfa.schema)).get("/punten/")
    )
    assert "Uw saldo: <strong>0 punten</strong>" in alfa_page
    assert table_rows(alfa_page) == [["Nog geen boekingen."]]
    assert "Laagste saldo: geen grens" in alfa_page
    assert "Mia Jansen" not in alfa_page


def test_the_statement_is_paginated_by_fifty(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=10),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    with schema_context(beta.schema):
        for n in range(55):
            services.points_gift(giver=mia, receiver=noor, amount="0,1", key=f"p{n}")
    client = logged_in_client(beta, member=mia)
    first = body(client.get("/punten/"))
    assert len(table_rows(first)) == 50
    assert table_rows(first)[0][-2:] == ["-0,10", "4,50"]
    assert "Pagina 1 van 2" in first
    second = table_rows(body(client.get("/punten/?pagina=2")))
    assert len(second) == 6
    assert second[-1][1:] == ["correctie door het bestuur", "Beginstand", "uitgifte", "+10", "10"]


def test_statement_as_csv_for_a_dutch_spreadsheet(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen"),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    with schema_context(beta.schema):
        services.starter_points_grant(member=mia)
        gift = services.points_gift(giver=mia, receiver=noor, amount="2,5", memo="=1+1", key="k1")
        stamps = {
            p.transfer_id: timezone.localtime(p.created_at).strftime("%d-%m-%Y %H:%M")
            for p in Posting.objects.filter(account__member=mia)
        }
    response = logged_in_client(beta, member=mia).get("/punten/overzicht.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="punten-overzicht.csv"'
    starter = next(pk for pk in stamps if pk != gift.pk)
    assert response.content.decode("utf-8") == (
        "\ufeffDatum;Soort;Omschrijving;Van of aan;Punten;Saldo\r\n"
        # A memo that looks like a formula is kept as text.
        f"{stamps[gift.pk]};gift;'=1+1;Noor Bakker;-2,50;7,50\r\n"
        f"{stamps[starter]};startpunten;Startpunten;uitgifte;10,00;10,00\r\n"
    )
    assert logged_in_client(alfa).get("/punten/overzicht.csv").content.decode() == (
        "\ufeffDatum;Soort;Omschrijving;Van of aan;Punten;Saldo\r\n"
    )


# --- giving ------------------------------------------------------------------------------------


def test_a_gift_books_once_even_when_the_form_is_sent_twice(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=10),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    MemberFactory(schema=alfa.schema, name="Alma van Alfa")
    client = logged_in_client(beta, member=mia)
    page = body(client.get("/punten/geven/"))
    options = re.findall(r"<option value=\"\d+\">([^<]+)</option>", page)
    assert "Noor Bakker" in options and "Bert Beta" in options
    assert "Mia Jansen" not in options  # not oneself
    assert "Alma van Alfa" not in options  # nor another cooperative's member
    key = form_key(page)
    before = ledger_counts(beta.schema)

    form = {
        "receiver": noor.pk,
        "amount": "2,5",
        "memo": "Dank voor het tillen",
        "idempotency_key": key,
    }
    first = client.post("/punten/geven/", form)
    assert first.status_code == 302 and first["Location"] == "/punten/"
    assert "U gaf 2,50 punten aan Noor Bakker." in body(client.get("/punten/"))
    again = client.post("/punten/geven/", {**form, "amount": "4"})  # a resubmit of the same form
    assert again.status_code == 302
    assert "U gaf 2,50 punten aan Noor Bakker." in body(client.get("/punten/"))

    assert ledger_counts(beta.schema) == (before[0] + 1, before[1] + 2)
    assert (balance(beta, mia), balance(beta, noor)) == (Decimal("7.50"), Decimal("2.50"))
    with schema_context(beta.schema):
        gift = Transfer.objects.get(kind=Transfer.Kind.GIFT)
        assert (gift.memo, gift.created_by_id) == ("Dank voor het tillen", mia.pk)
    assert form_key(body(client.get("/punten/geven/"))) != key  # a new form, a new key


def test_a_gift_below_the_lowest_balance_is_refused_and_books_nothing(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=-18),
        MemberFactory(schema=beta.schema, name="Noor Bakker", points=19),
    )
    client = logged_in_client(beta, member=mia)
    before = ledger_counts(beta.schema)
    key = form_key(body(client.get("/punten/geven/")))
    low = client.post(
        "/punten/geven/", {"receiver": noor.pk, "amount": "3", "idempotency_key": key}
    )
    assert low.status_code == 400
    assert re.search(
        r"Dan komt het saldo van Mia Jansen op -21(?:[.,]0+)?; het laagste saldo is -20\.",
        body(low),
    )
    # Within Mia's limit, but Noor would pass the highest balance.
    high = client.post(
        "/punten/geven/", {"receiver": noor.pk, "amount": "2", "idempotency_key": key}
    )
    assert high.status_code == 400
    assert re.search(
        r"Dan komt het saldo van Noor Bakker op 21(?:[.,]0+)?; het hoogste saldo is 20\.",
        body(high),
    )
    assert ledger_counts(beta.schema) == before
    assert (balance(beta, mia), balance(beta, noor)) == (Decimal("-18"), Decimal("19"))
    # The same key still books once the amount fits.
    fits = client.post(
        "/punten/geven/", {"receiver": noor.pk, "amount": "1", "idempotency_key": key}
    )
    assert fits.status_code == 302
    assert (balance(beta, mia), balance(beta, noor)) == (Decimal("-19"), Decimal("20"))


def test_refused_gifts_show_their_message(alfa, beta):
    mia = MemberFactory(schema=beta.schema, name="Mia Jansen", points=5)
    left = MemberFactory(schema=beta.schema, name="Lotte Weg", status=Member.Status.LEFT)
    client = logged_in_client(beta, member=mia)
    before = ledger_counts(beta.schema)
    for data, message in (
        ({"receiver": mia.pk, "amount": "1"}, "U kunt geen punten aan uzelf geven."),
        ({"receiver": left.pk, "amount": "1"}, "Kies een lid uit de lijst."),
        ({"amount": "1"}, "Kies een lid."),
        (
            {"receiver": board_member(beta).pk, "amount": "0"},
            "Vul een aantal punten groter dan 0 in.",
        ),
        (
            {"receiver": board_member(beta).pk, "amount": "twee"},
            "Vul een aantal punten in, bijvoorbeeld 2 of 1,5.",
        ),
        (
            {"receiver": board_member(beta).pk, "amount": "1", "idempotency_key": ""},
            "Het formulier is verlopen",
        ),
    ):
        response = client.post("/punten/geven/", {"idempotency_key": "abc", **data})
        assert response.status_code == 400, data
        assert message in body(response)
    assert ledger_counts(beta.schema) == before
    assert balance(beta, mia) == Decimal("5")


def test_another_cooperatives_member_cannot_receive(alfa, beta):
    beyond(alfa, beta, Member)
    alma = MemberFactory(schema=alfa.schema, name="Alma van Alfa")
    with schema_context(beta.schema):
        assert not Member.objects.filter(pk=alma.pk).exists()
    mia = MemberFactory(schema=beta.schema, name="Mia Jansen", points=5)
    before = ledger_counts(beta.schema), ledger_counts(alfa.schema)
    response = logged_in_client(beta, member=mia).post(
        "/punten/geven/", {"receiver": alma.pk, "amount": "1", "idempotency_key": "abc"}
    )
    assert response.status_code == 400
    assert "Kies een lid uit de lijst." in body(response)
    assert (ledger_counts(beta.schema), ledger_counts(alfa.schema)) == before


# --- the solidarity pot ------------------------------------------------------------------------


def test_donate_to_the_pot_and_a_coordinator_grants_from_it(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=10),
        MemberFactory(schema=beta.schema, name="Noor Bakker", points=-15),
    )
    cora = MemberFactory(schema=beta.schema, name="Cora Coördinator", roles=["coordinator"])

    as_mia = logged_in_client(beta, member=mia)
    page = body(as_mia.get("/punten/pot/"))
    assert "In de pot: <strong>0 punten</strong>" in page
    assert "Punten uit de pot toekennen" not in page  # not for a plain member
    key = form_key(page, "donate")
    donate = {"form": "donate", "donate-amount": "4", "donate-idempotency_key": key}
    assert as_mia.post("/punten/pot/", donate).status_code == 302
    assert as_mia.post("/punten/pot/", donate).status_code == 302  # a double click
    assert (pot(beta), balance(beta, mia)) == (Decimal("4"), Decimal("6"))
    assert "In de pot: <strong>4 punten</strong>" in body(as_mia.get("/punten/pot/"))

    as_cora = logged_in_client(beta, member=cora)
    page = body(as_cora.get("/punten/pot/"))
    grant = {
        "form": "grant",
        "grant-member": noor.pk,
        "grant-amount": "3",
        "grant-reason": "Kan zelf even niets terugdoen",
        "grant-idempotency_key": form_key(page, "grant"),
    }
    assert as_cora.post("/punten/pot/", grant).status_code == 302
    assert (pot(beta), balance(beta, noor)) == (Decimal("1"), Decimal("-12"))
    with schema_context(beta.schema):
        booked = Transfer.objects.get(kind=Transfer.Kind.GRANT)
        assert (booked.memo, booked.created_by_id) == ("Kan zelf even niets terugdoen", cora.pk)
        assert (
            AuditEntry.objects.filter(action="points.grant", target_id=str(booked.pk)).count() == 1
        )

    before = ledger_counts(beta.schema)
    empty = as_cora.post(
        "/punten/pot/", {**grant, "grant-amount": "2", "grant-idempotency_key": "new"}
    )
    assert empty.status_code == 400
    assert "Er staan niet genoeg punten in de solidariteitspot." in body(empty)
    no_reason = as_cora.post(
        "/punten/pot/", {**grant, "grant-reason": "", "grant-idempotency_key": "x"}
    )
    assert no_reason.status_code == 400 and "Geef een reden op." in body(no_reason)
    # A plain member posting the grant form gets the 403 page.
    forbidden = as_mia.post(
        "/punten/pot/", {**grant, "grant-amount": "1", "grant-idempotency_key": "y"}
    )
    assert forbidden.status_code == 403
    assert ledger_counts(beta.schema) == before
    assert (pot(beta), balance(beta, noor), balance(beta, mia)) == (
        Decimal("1"),
        Decimal("-12"),
        Decimal("6"),
    )


def test_a_donation_beyond_the_lowest_balance_is_refused(alfa, beta):
    mia = MemberFactory(schema=beta.schema, name="Mia Jansen", points=-19)
    before = ledger_counts(beta.schema)
    response = logged_in_client(beta, member=mia).post(
        "/punten/pot/", {"form": "donate", "donate-amount": "2", "donate-idempotency_key": "a"}
    )
    assert response.status_code == 400
    assert "het laagste saldo is -20." in body(response)
    assert ledger_counts(beta.schema) == before and pot(beta) == Decimal("0")


# --- a service payment waiting for the approval of who was helped ------------------------------


def test_who_was_helped_approves_a_pending_service_payment(alfa, beta):
    rita = MemberFactory(schema=beta.schema, name="Rita Hulpvrager")
    payment = pending_payment(beta, requester=rita)
    vera = payment_volunteer(beta, payment)
    assert (balance(beta, rita), balance(beta, vera)) == (Decimal("0"), Decimal("0"))

    as_rita = logged_in_client(beta, member=rita)
    page = body(as_rita.get("/punten/"))
    assert "Betalingen die op uw goedkeuring wachten" in page
    assert "Dienst: Kraan repareren" in page and "3 punten aan Vera Vrijwilliger" in page
    # The volunteer does not decide on their own payment.
    as_vera = logged_in_client(beta, member=vera)
    assert "Betalingen die op uw goedkeuring wachten" not in body(as_vera.get("/punten/"))
    assert as_vera.post(f"/punten/betaling/{payment.pk}/goedkeuren/").status_code == 404
    assert transfer_status(beta, payment) == Transfer.Status.PENDING

    approved = as_rita.post(f"/punten/betaling/{payment.pk}/goedkeuren/")
    assert approved.status_code == 302
    assert transfer_status(beta, payment) == Transfer.Status.BOOKED
    assert (balance(beta, rita), balance(beta, vera)) == (Decimal("-3"), Decimal("3"))
    assert "Betalingen die op uw goedkeuring wachten" not in body(as_rita.get("/punten/"))
    assert table_rows(body(as_vera.get("/punten/"))) == [
        [
            today(),
            "betaling voor een dienst",
            "Dienst: Kraan repareren",
            "Rita Hulpvrager",
            "+3",
            "3",
        ]
    ]
    again = as_rita.post(f"/punten/betaling/{payment.pk}/goedkeuren/")
    assert again.status_code == 400 and "Over deze betaling is al besloten." in body(again)
    assert (balance(beta, rita), balance(beta, vera)) == (Decimal("-3"), Decimal("3"))


def test_rejecting_a_payment_is_confirmed_first_and_books_nothing(alfa, beta):
    rita = MemberFactory(schema=beta.schema, name="Rita Hulpvrager")
    payment = pending_payment(beta, requester=rita)
    before = ledger_counts(beta.schema)
    as_rita = logged_in_client(beta, member=rita)
    confirm = body(as_rita.get(f"/punten/betaling/{payment.pk}/afwijzen/"))
    assert "Betaling afwijzen?" in confirm and "3 punten aan Vera Vrijwilliger" in confirm
    assert transfer_status(beta, payment) == Transfer.Status.PENDING
    assert as_rita.post(f"/punten/betaling/{payment.pk}/afwijzen/").status_code == 302
    assert transfer_status(beta, payment) == Transfer.Status.REJECTED
    assert ledger_counts(beta.schema) == before
    assert balance(beta, rita) == Decimal("0")
    late = as_rita.post(f"/punten/betaling/{payment.pk}/goedkeuren/")
    assert late.status_code == 400 and "Over deze betaling is al besloten." in body(late)
    assert transfer_status(beta, payment) == Transfer.Status.REJECTED


def test_approving_a_payment_that_crosses_a_limit_is_refused(alfa, beta):
    rita = MemberFactory(schema=beta.schema, name="Rita Hulpvrager", points=-18)
    payment = pending_payment(beta, requester=rita)
    before = ledger_counts(beta.schema)
    response = logged_in_client(beta, member=rita).post(
        f"/punten/betaling/{payment.pk}/goedkeuren/"
    )
    assert response.status_code == 400
    assert re.search(
        r"Dan komt het saldo van Rita Hulpvrager op -21(?:[.,]0+)?; het laagste saldo is -20\.",
        body(response),
    )
    assert transfer_status(beta, payment) == Transfer.Status.PENDING
    assert ledger_counts(beta.schema) == before and balance(beta, rita) == Decimal("-18")


def test_another_cooperatives_payment_is_not_found(alfa, beta):
    payment = pending_payment(beta)
    with schema_context(alfa.schema):
        assert not Transfer.objects.filter(pk=payment.pk).exists()
    client = logged_in_client(alfa)
    assert client.post(f"/punten/betaling/{payment.pk}/goedkeuren/").status_code == 404
    assert client.get(f"/punten/betaling/{payment.pk}/afwijzen/").status_code == 404
    assert client.post(f"/punten/betaling/{payment.pk}/afwijzen/").status_code == 404
    assert transfer_status(beta, payment) == Transfer.Status.PENDING


# --- the board: overview, corrections, reversals -----------------------------------------------


def test_the_overview_shows_circulation_equal_to_what_was_issued(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen"),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    gone = MemberFactory(schema=beta.schema, name="Gerrit Weg")
    with schema_context(beta.schema):
        for who in (mia, noor, gone):
            services.starter_points_grant(member=who)
        services.points_gift(giver=mia, receiver=noor, amount="3", key="k")
        services.points_donate(member=noor, amount="2", key="d")
        services.points_correct(
            actor=board_member(beta),
            account=services.account_open(member=mia),
            amount="-12",
            reason="Dubbel geboekt",
            key="c",
        )
        gone = member_erase(actor=board_member(beta), member=gone)
    pending_payment(beta, requester=noor)

    page = logged_in_client(beta).get("/punten/cooperatie/")
    assert page.status_code == 200
    html = body(page)
    # Members: Mia -5, Noor 11, the erased member 10; the pot 2; issued 30 - 12 = 18.
    for label, value in (
        ("Positieve saldi van leden", "21"),
        ("Negatieve saldi van leden", "-5"),
        ("Solidariteitspot", "2"),
        ("Aandeel van de coöperatie", "0"),
        ("Samen in omloop", "<strong>18</strong>"),
        ("Uitgegeven (rekening uitgifte)", "<strong>18</strong>"),
    ):
        assert f'<th scope="row">{label}</th><td>{value}</td>' in html
    assert "Alles sluit: <strong>ja</strong>" in html
    accounts = table_rows(html, 1)
    assert accounts[:2] == [
        ["uitgifte", "uitgifte", "-18"],
        ["solidariteitspot", "solidariteitspot", "2"],
    ]
    names = {row[0]: row[2] for row in accounts[2:]}
    assert names["Mia Jansen"] == "-5" and names["Noor Bakker"] == "11"
    assert names[gone.name] == "10" and gone.name.startswith("Oud-lid ")
    assert "Gerrit Weg" not in html
    assert table_rows(html, 2) == [
        [today(), "Dienst: Kraan repareren", "Noor Bakker", "Vera Vrijwilliger", "3"]
    ]

    # alfa's board sees only alfa's ledger.
    alfa_html = body(logged_in_client(alfa).get("/punten/cooperatie/"))
    assert "Mia Jansen" not in alfa_html and "Noor Bakker" not in alfa_html
    assert table_rows(alfa_html, 1) == [["Nog geen rekeningen."]]
    assert "Alles sluit: <strong>ja</strong>" in alfa_html


def test_who_may_open_the_overview(alfa, beta):
    for roles, status in (
        ([], 403),
        (["coordinator"], 403),
        (["volunteer"], 403),
        (["audit_committee"], 200),
        (["administrator"], 200),
    ):
        who = MemberFactory(schema=beta.schema, roles=roles)
        assert logged_in_client(beta, member=who).get("/punten/cooperatie/").status_code == status
    audit_page = body(
        logged_in_client(
            beta, member=MemberFactory(schema=beta.schema, roles=["audit_committee"])
        ).get("/punten/cooperatie/")
    )
    assert "Correctie boeken" not in audit_page  # the audit committee looks, the board corrects


def test_year_end_snapshot_keeps_last_years_balances(alfa, beta):
    last_year = timezone.localdate().year - 1
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen"),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    with schema_context(beta.schema):
        with booked_on(timezone.make_aware(dt.datetime(last_year, 12, 31, 20, 0))):
            services.starter_points_grant(member=mia)
            services.points_gift(giver=mia, receiver=noor, amount="4", key="old")
        services.points_gift(
            giver=mia, receiver=noor, amount="1", key="new"
        )  # this year: not in it

    client = logged_in_client(beta)
    html = body(client.get("/punten/cooperatie/"))
    assert "Nog geen jaarstanden vastgelegd." in html
    assert f'value="{last_year}"' in html
    this_year = client.post("/punten/cooperatie/", {"year": timezone.localdate().year})
    assert this_year.status_code == 400
    assert "Kies een jaar dat al voorbij is" in body(this_year)
    with schema_context(beta.schema):
        assert not YearEndSnapshot.objects.exists()

    taken = client.post("/punten/cooperatie/", {"year": last_year})
    assert (
        taken.status_code == 302
        and taken["Location"] == f"/punten/cooperatie/?jaar={last_year}#jaarstanden"
    )
    html = body(client.get(taken["Location"]))
    assert f"De stand van {last_year} is vastgelegd (3 rekeningen)." in html
    assert f"Stand op 31 december {last_year}" in html
    assert table_rows(html, 4) == [["uitgifte", "-10"], ["Mia Jansen", "6"], ["Noor Bakker", "4"]]
    assert '<th scope="row">Totaal (hoort 0 te zijn)</th><td>0</td>' in html
    # Taken once: taking it again changes nothing.
    client.post("/punten/cooperatie/", {"year": last_year})
    with schema_context(beta.schema):
        assert sorted(YearEndSnapshot.objects.values_list("balance", flat=True)) == [
            Decimal("-10"),
            Decimal("4"),
            Decimal("6"),
        ]
    assert (
        logged_in_client(beta, member=mia)
        .post("/punten/cooperatie/", {"year": last_year})
        .status_code
        == 403
    )


def test_the_board_books_a_correction_with_a_reason(alfa, beta):
    mia = MemberFactory(schema=beta.schema, name="Mia Jansen", points=4)
    client = logged_in_client(beta)
    page = body(client.get("/punten/correctie/"))
    data = {
        "member": mia.pk,
        "amount": "-1,5",
        "reason": "Dubbel geboekt",
        "idempotency_key": form_key(page),
    }
    response = client.post("/punten/correctie/", data)
    assert response.status_code == 302 and response["Location"] == "/punten/cooperatie/"
    assert client.post("/punten/correctie/", data).status_code == 302  # resubmitted: once
    assert balance(beta, mia) == Decimal("2.50")
    with schema_context(beta.schema):
        correction = Transfer.objects.filter(kind=Transfer.Kind.CORRECTION).order_by("-id").first()
        assert correction.memo == "Dubbel geboekt"
        entry = AuditEntry.objects.get(action="points.correct", target_id=str(correction.pk))
        assert (entry.actor_id, entry.summary) == (
            board_member(beta).pk,
            f"Correctie van -1.50 punten op rekening #{mia.points_account.pk}",
        )

    before = ledger_counts(beta.schema)
    for bad, message in (
        ({"reason": ""}, "Geef een reden op."),
        ({"amount": "0"}, "Een correctie van 0 punten verandert niets."),
        ({"amount": "-30"}, "het laagste saldo is -20."),
    ):
        refused = client.post("/punten/correctie/", {**data, "idempotency_key": "other", **bad})
        assert refused.status_code == 400 and message in body(refused), bad
    assert ledger_counts(beta.schema) == before


def test_only_the_board_corrects_and_reverses(alfa, beta):
    mia = MemberFactory(schema=beta.schema, name="Mia Jansen", points=4)
    with schema_context(beta.schema):
        booked = services.points_gift(giver=mia, receiver=board_member(beta), amount="1", key="g")
    before = ledger_counts(beta.schema)
    for roles in ([], ["coordinator"], ["audit_committee"]):
        client = logged_in_client(beta, member=MemberFactory(schema=beta.schema, roles=roles))
        assert client.get("/punten/correctie/").status_code == 403
        assert (
            client.post(
                "/punten/correctie/",
                {"member": mia.pk, "amount": "5", "reason": "x", "idempotency_key": "k"},
            ).status_code
            == 403
        )
        assert client.get(f"/punten/overboeking/{booked.pk}/terugdraaien/").status_code == 403
        assert (
            client.post(
                f"/punten/overboeking/{booked.pk}/terugdraaien/", {"reason": "x"}
            ).status_code
            == 403
        )
    assert ledger_counts(beta.schema) == before and balance(beta, mia) == Decimal("3")


def test_the_board_reverses_a_transfer_after_confirming(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=10),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    with schema_context(beta.schema):
        booked = services.points_gift(
            giver=mia, receiver=noor, amount="4", memo="Per ongeluk", key="g"
        )
    client = logged_in_client(beta)
    overview = body(client.get("/punten/cooperatie/"))
    assert f'href="/punten/overboeking/{booked.pk}/terugdraaien/"' in overview

    confirm = client.get(f"/punten/overboeking/{booked.pk}/terugdraaien/")
    assert confirm.status_code == 200
    assert table_rows(body(confirm)) == [["Mia Jansen", "-4"], ["Noor Bakker", "+4"]]
    assert (balance(beta, mia), balance(beta, noor)) == (Decimal("6"), Decimal("4"))

    no_reason = client.post(f"/punten/overboeking/{booked.pk}/terugdraaien/", {"reason": ""})
    assert no_reason.status_code == 400 and "Geef een reden op." in body(no_reason)
    done = client.post(f"/punten/overboeking/{booked.pk}/terugdraaien/", {"reason": "Verkeerd lid"})
    assert done.status_code == 302
    assert (
        client.post(
            f"/punten/overboeking/{booked.pk}/terugdraaien/", {"reason": "Nog eens"}
        ).status_code
        == 302
    )
    assert (balance(beta, mia), balance(beta, noor)) == (Decimal("10"), Decimal("0"))
    with schema_context(beta.schema):
        reversal = Transfer.objects.get(reverses=booked)
        assert (reversal.kind, reversal.memo) == (Transfer.Kind.REVERSAL, "Verkeerd lid")
        assert Transfer.objects.filter(kind=Transfer.Kind.REVERSAL).count() == 1
        assert AuditEntry.objects.filter(
            action="points.reverse", target_id=str(reversal.pk)
        ).exists()

    before = ledger_counts(beta.schema)
    twice = client.post(f"/punten/overboeking/{reversal.pk}/terugdraaien/", {"reason": "x"})
    assert twice.status_code == 400
    assert "Deze overboeking kan niet worden teruggedraaid." in body(twice)
    assert ledger_counts(beta.schema) == before


def test_a_reversal_that_would_cross_a_limit_is_refused(alfa, beta):
    mia, noor = (
        MemberFactory(schema=beta.schema, name="Mia Jansen", points=10),
        MemberFactory(schema=beta.schema, name="Noor Bakker"),
    )
    with schema_context(beta.schema):
        booked = services.points_gift(giver=mia, receiver=noor, amount="5", key="g")
        services.points_gift(giver=noor, receiver=mia, amount="5", key="back")
        services.points_correct(
            actor=board_member(beta),
            account=services.account_open(member=noor),
            amount="-17",
            reason="x",
            key="c",
        )
    before = ledger_counts(beta.schema)
    refused = logged_in_client(beta).post(
        f"/punten/overboeking/{booked.pk}/terugdraaien/", {"reason": "x"}
    )
    assert refused.status_code == 400
    assert "het laagste saldo is -20." in body(refused)
    assert ledger_counts(beta.schema) == before and balance(beta, noor) == Decimal("-17")


def test_another_cooperatives_transfer_cannot_be_reversed(alfa, beta):
    beyond(beta, alfa, Transfer)
    mia = MemberFactory(schema=beta.schema, name="Mia Jansen", points=5)
    with schema_context(beta.schema):
        booked = services.points_gift(giver=mia, receiver=board_member(beta), amount="2", key="g")
    with schema_context(alfa.schema):
        assert not Transfer.objects.filter(pk=booked.pk).exists()
    before = ledger_counts(alfa.schema), ledger_counts(beta.schema)
    client = logged_in_client(alfa)
    assert client.get(f"/punten/overboeking/{booked.pk}/terugdraaien/").status_code == 404
    assert (
        client.post(f"/punten/overboeking/{booked.pk}/terugdraaien/", {"reason": "x"}).status_code
        == 404
    )
    assert (ledger_counts(alfa.schema), ledger_counts(beta.schema)) == before
    assert balance(beta, mia) == Decimal("3")


def test_points_pages_need_a_login_and_label_every_field(alfa, beta):
    anonymous = logged_in_client(beta)
    anonymous.logout()
    assert anonymous.get("/punten/")["Location"].startswith("/inloggen/")
    payment = pending_payment(
        beta, requester=MemberFactory(schema=beta.schema, name="Rita Hulpvrager")
    )
    with schema_context(beta.schema):
        requester = Account.objects.get(pk=payment.pending_postings[0][0]).member
    cora = MemberFactory(schema=beta.schema, roles=["coordinator"])
    for client, path in (
        (logged_in_client(beta, member=requester), "/punten/"),
        (logged_in_client(beta, member=requester), f"/punten/betaling/{payment.pk}/afwijzen/"),
        (logged_in_client(beta), "/punten/geven/"),
        (logged_in_client(beta, member=cora), "/punten/pot/"),
        (logged_in_client(beta), "/punten/cooperatie/"),
        (logged_in_client(beta), "/punten/correctie/"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        found = audit(body(response))
        for field in found.inputs:
            assert field.get("id") in found.label_for, (path, field)
