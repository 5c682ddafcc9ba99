"""The monthly statement as a page and as CSV for a Dutch spreadsheet. Only the board, the audit
committee and administrators see a statement; a plain member or volunteer gets the Dutch 403
page. A month that does not exist is a 404, never a 500; nothing of beta shows on alfa's."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from tests.clients import client_for, logged_in_client, treasurer_client
from tests.factories import KLUS_DESCRIPTION, MemberFactory
from tests.pages import audit, body

# --- the pages ---------------------------------------------------------------------------------


def test_treasurer_sees_the_statement_page(alfa, beta, klussen, alfa_subscription):
    client = treasurer_client(alfa)
    response = client.get("/overzichten/2025/11/")
    assert response.status_code == 200
    html = body(response)
    assert audit(html).html_lang == "nl"
    assert "Maandoverzicht november 2025" in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "€ 22,50" in html  # charged
    assert "€ 6,75" in html  # owed
    assert "€ 2,26" in html and "€ 20,24" in html and "€ 0,14" in html
    assert "Buurtpakket" in html and "€ 29,50" in html and "actief" in html
    assert "Vera Vrijwilliger" in html and "Rita Hulpvrager" in html
    assert 'href="/overzichten/2025/11.csv"' in html and "Download CSV" in html
    assert 'href="/overzichten/2025/11.pdf"' in html and "Download PDF" in html
    assert 'href="/overzichten/2025/10/"' in html and "oktober 2025" in html
    assert 'href="/overzichten/2025/12/"' in html
    assert "Nog te betalen uit eerdere maanden" in html and "€ 9,00" in html
    # Beta's people and money, and what the help was about, are not on it.
    assert "Bram Betahelper" not in html and "Bets Betavrager" not in html
    assert "€ 63,00" not in html
    assert KLUS_DESCRIPTION not in html and "Steunkousen" not in html

    index = client.get("/overzichten/")
    assert index.status_code == 200
    page = body(index)
    assert 'href="/overzichten/2025/11/"' in page and "November 2025" in page
    assert page.index("/overzichten/2025/12/") < page.index("/overzichten/2025/11/")
    today = timezone.localdate()
    assert f'href="/overzichten/{today.year}/{today.month}/"' in page
    # All open klussen together: October, November (open and pending) and December.
    assert "€ 20,25" in page


def test_audit_committee_may_look_too_and_beta_sees_only_its_own(alfa, beta, klussen):
    auditor = MemberFactory(schema=alfa.schema, name="Kees Kascommissie", roles=["audit_committee"])
    assert logged_in_client(alfa, member=auditor).get("/overzichten/2025/11/").status_code == 200
    html = body(treasurer_client(beta).get("/overzichten/2025/11/"))
    assert "Bram Betahelper" in html and "€ 63,00" in html
    assert "Vera Vrijwilliger" not in html and "Rita Hulpvrager" not in html
    assert "€ 22,50" not in html
    assert "geen abonnement" in html


@pytest.mark.parametrize(
    "path",
    [
        "/overzichten/",
        "/overzichten/2025/11/",
        "/overzichten/2025/11.csv",
        "/overzichten/2025/11.pdf",
        "/overzichten/2025/13/",  # the refusal comes before the month is even looked at
    ],
)
def test_members_and_volunteers_are_refused(alfa, beta, klussen, path):
    for roles in ([], ["volunteer"], ["coordinator"]):
        client = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, roles=roles))
        response = client.get(path)
        assert response.status_code == 403
        html = body(response)
        assert "U heeft hier geen toegang toe" in html
        assert "Vera Vrijwilliger" not in html and "22,50" not in html
    anonymous = client_for(alfa.host).get(path)
    assert anonymous.status_code == 302 and "/inloggen/" in anonymous["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/overzichten/2025/13/",
        "/overzichten/2025/0/",
        "/overzichten/1800/1/",
        "/overzichten/2025/13.csv",
        "/overzichten/1800/1.pdf",
        "/overzichten/2025/-1/",
        "/overzichten/2025/nov/",
    ],
)
def test_a_month_that_does_not_exist_is_a_404(alfa, beta, path):
    response = treasurer_client(alfa).get(path)
    assert response.status_code == 404


def test_a_month_still_to_come_has_no_statement(alfa, beta):
    today = timezone.localdate()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    client = treasurer_client(alfa)
    response = client.get(f"/overzichten/{year}/{month}/")
    assert response.status_code == 404
    assert "Voor deze maand bestaat geen overzicht" in body(response)
    assert client.get(f"/overzichten/{today.year}/{today.month}/").status_code == 200


# --- CSV -------------------------------------------------------------------------------------


def test_csv_for_a_dutch_spreadsheet(alfa, beta, klussen):
    response = treasurer_client(alfa).get("/overzichten/2025/11.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="noaber-alfa-2025-11.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == [
        "Datum",
        "Dienst",
        "Cluster",
        "Vrijwilliger",
        "Hulpvrager",
        "Uren",
        "Tarief per uur",
        "Bedrag",
    ]
    klus_rows = rows[1:6]
    assert [r[0] for r in klus_rows] == [
        "01-11-2025",
        "03-11-2025",
        "12-11-2025",
        "14-11-2025",
        "30-11-2025",
    ]
    assert klus_rows[1][3:12] == [
        "Vera Vrijwilliger",
        "Rita Hulpvrager",
        "2,00",
        "4,50",
        "9,00",
        "0,90",
        "8,10",
        "0,00",
        "contant",
    ]
    assert klus_rows[1][12:] == ["betaald", "20-11-2025"]
    totals = rows[6]
    assert totals[:2] == ["Totaal: 4 klussen (zonder vervallen)", ""]
    assert totals[5] == "5,00" and totals[7:11] == ["22,50", "2,26", "20,24", "0,14"]
    summary = {r[0]: r[1] for r in rows[7:] if len(r) >= 2}
    assert summary["Contant betaald"] == "9,00"
    assert summary["Online betaald"] == "6,75"
    assert summary["Nog te betalen"] == "6,75"
    assert summary["Nog te betalen uit eerdere maanden"] == "9,00"
    body = response.content.decode("utf-8-sig")
    assert "Bram" not in body and "63,00" not in body and KLUS_DESCRIPTION not in body


def test_csv_has_the_double_payments_after_the_summary(alfa, beta, klussen, doubles):
    response = treasurer_client(alfa).get("/overzichten/2025/11.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    summary = {r[0]: r[1] for r in rows[7:] if len(r) >= 2}
    assert summary["Terug te betalen (twee keer betaald)"] == "9,00"
    start = rows.index(["Terug te betalen: online ontvangen voor klussen die al betaald waren"])
    assert rows[start + 1] == [
        "Online ontvangen op",
        "Klus uitgevoerd op",
        "Cluster",
        "Vrijwilliger",
        "Hulpvrager",
        "Bedrag",
        "De klus was al",
        "Terugbetaald op",
    ]
    first, second = rows[start + 2], rows[start + 3]
    assert first[:2] == ["21-11-2025", "03-11-2025"]
    assert first[3:] == ["Vera Vrijwilliger", "Rita Hulpvrager", "9,00", "contant betaald", ""]
    assert second[:2] == ["25-11-2025", "14-11-2025"]
    assert second[5:] == ["4,50", "vervallen", "03-12-2025"]
    assert rows[start + 4] == ["Nog terug te betalen", "", "", "", "", "9,00"]
    assert rows[start + 5] == ["Al terugbetaald", "", "", "", "", "4,50"]
    assert rows[start + 5] == rows[-1]
    body = response.content.decode("utf-8-sig")
    assert "12,34" not in body and "3,21" not in body and "Via Stripe" not in body

    # A month without double payments has the summary row at zero and no section.
    october = treasurer_client(alfa).get("/overzichten/2025/9.csv").content.decode("utf-8-sig")
    assert "Terug te betalen (twee keer betaald);0,00" in october
    assert "Online ontvangen op" not in october
