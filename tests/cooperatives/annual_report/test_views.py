"""The annual report's pages and PDF: the board starts and writes it, the kascommissie
records its findings, the secretary records the ALV's decisions; members see a report only
once it is approved, from the "Meebeslissen" menu; the PDF keeps every Dutch letter."""

from __future__ import annotations

import html

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.annual_report.models import AnnualReport
from cooperatives.annual_report.services import report_create, report_review
from cooperatives.governance.models import Decision
from tests.clients import logged_in_client
from tests.pdfs import pdf_fonts, pdf_text

TODAY = timezone.localdate


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_the_board_starts_writes_and_the_kascommissie_reviews(alfa, beta, cast, last_year):
    board = logged_in_client(alfa, member=cast.alfa.board)
    assert "Jaarverslag" in _page(board, "/")  # in the board's menu
    listing = _page(board, "/jaarverslag/")
    assert "Een jaarverslag beginnen" in listing
    response = board.post("/jaarverslag/", {"year": str(last_year)})
    assert response.status_code == 302 and response["Location"] == f"/jaarverslag/{last_year}/"
    response = board.post(
        f"/jaarverslag/{last_year}/bewerken/",
        {"foreword": "Beste buren,\n\nwat een jaar.", "activities": "Koffie", "outlook": "Meer"},
    )
    assert response.status_code == 302
    detail = _page(board, f"/jaarverslag/{last_year}/")
    assert "wat een jaar." in detail and "Leden" in detail and "Tijdpunten" in detail
    assert "Klussen in euro&#x27;s" in detail or "Klussen in euro's" in detail
    assert "Teksten schrijven" in detail and "Bevindingen vastleggen" not in detail
    assert board.get(f"/jaarverslag/{last_year}/kascommissie/").status_code == 403

    audit = logged_in_client(alfa, member=cast.alfa.audit)
    assert f"/jaarverslag/{last_year}/kascommissie/" in _page(audit, "/")  # what waits
    refused = audit.post(
        f"/jaarverslag/{last_year}/kascommissie/",
        {"findings": "", "recommends_discharge": "1", "reviewed_on": TODAY().strftime("%d-%m-%Y")},
    )
    assert refused.status_code == 400 and 'class="error-summary"' in refused.content.decode()
    response = audit.post(
        f"/jaarverslag/{last_year}/kascommissie/",
        {
            "findings": "Kas en boeken gecontroleerd; alles klopt.",
            "recommends_discharge": "1",
            "reviewed_on": TODAY().strftime("%d-%m-%Y"),
        },
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        report = AnnualReport.objects.get()
        assert report.status == AnnualReport.Status.REVIEWED
        assert report.audit_findings == "Kas en boeken gecontroleerd; alles klopt."
    with schema_context(beta.schema):
        assert not AnnualReport.objects.exists()
    assert logged_in_client(beta).get(f"/jaarverslag/{last_year}/").status_code == 404


def test_the_secretary_records_the_alv_and_members_then_read_it(alfa, beta, cast, last_year):
    with schema_context(alfa.schema):
        report = report_create(actor=cast.alfa.board, year=last_year)
        report_review(
            actor=cast.alfa.audit, report=report, findings="Klopt.", recommends_discharge=True
        )
    member = logged_in_client(alfa, member=cast.alfa.member)
    # A draft is not for members: not listed, not found, not as PDF. The menu leads members to
    # the list all the same (a steady menu), which says there is none yet.
    listed = _page(member, "/jaarverslag/")
    assert str(last_year) not in listed and "Er is nog geen jaarverslag." in listed
    assert member.get(f"/jaarverslag/{last_year}/").status_code == 404
    assert member.get(f"/jaarverslag/{last_year}.pdf").status_code == 404
    assert 'href="/jaarverslag/"' in _page(member, "/")
    assert member.get(f"/jaarverslag/{last_year}/vaststellen/").status_code == 403

    secretary = logged_in_client(alfa, member=cast.alfa.secretary)
    form = _page(secretary, f"/jaarverslag/{last_year}/vaststellen/")
    assert "Decharge van het bestuur" in form
    response = secretary.post(
        f"/jaarverslag/{last_year}/vaststellen/",
        {
            "decided_on": TODAY().strftime("%d-%m-%Y"),
            "votes_for": "20",
            "votes_against": "1",
            "votes_abstain": "",
            "discharge_for": "19",
            "discharge_against": "2",
            "discharge_abstain": "0",
        },
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        numbers = list(Decision.objects.order_by("sequence").values_list("number", flat=True))
    page = _page(member, f"/jaarverslag/{last_year}/")
    assert "vastgesteld door de ALV" in page and numbers[0] in page and numbers[1] in page
    assert "Teksten schrijven" not in page
    assert 'href="/jaarverslag/"' in _page(member, "/")  # now under Meebeslissen
    board = logged_in_client(alfa, member=cast.alfa.board)
    assert "Teksten schrijven" not in _page(board, f"/jaarverslag/{last_year}/")
    refused = board.post(
        f"/jaarverslag/{last_year}/bewerken/", {"foreword": "x", "activities": "", "outlook": ""}
    )
    assert refused.status_code == 400
    assert "verandert niet meer" in html.unescape(refused.content.decode())
    beta_member = logged_in_client(beta, member=cast.beta.member)
    assert beta_member.get(f"/jaarverslag/{last_year}/").status_code == 404


def test_the_pdf_keeps_every_dutch_letter(alfa, beta, cast, last_year):
    with schema_context(alfa.schema):
        report = report_create(actor=cast.alfa.board, year=last_year)
    board = logged_in_client(alfa, member=cast.alfa.board)
    board.post(
        f"/jaarverslag/{last_year}/bewerken/",
        {
            "foreword": "Coöperatie, café, ideeën, geïnteresseerd, één, privé, ĳverig, Ĳsselstein.",
            "activities": "",
            "outlook": "",
        },
    )
    response = board.get(f"/jaarverslag/{last_year}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="jaarverslag-alfa-{last_year}.pdf"'
    )
    text = pdf_text(response.content)
    assert "Coöperatie, café, ideeën, geïnteresseerd, één, privé, ĳverig, Ĳsselstein." in text
    assert f"Wijkcoöperatie Alfa: jaarverslag {last_year}" in text
    assert "Leden" in text and "Kascommissie" in text
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= pdf_fonts(response.content)
    assert report.pk
    assert logged_in_client(beta).get(f"/jaarverslag/{last_year}.pdf").status_code == 404
