"""The monthly statement as PDF: the cooperative, the month, the figures and the double
payments, also for an empty month."""

from __future__ import annotations

from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from tests.clients import treasurer_client
from tests.pdfs import pdf_fonts, pdf_text


def test_pdf_with_the_cooperative_the_month_and_the_figures(alfa, beta, klussen, alfa_subscription):
    response = treasurer_client(alfa).get("/overzichten/2025/11.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="noaber-alfa-2025-11.pdf"'
    assert response.content.startswith(b"%PDF")
    pdf = pdf_text(response.content)
    assert "Wijkcoöperatie Alfa: maandoverzicht november 2025" in pdf
    assert "Buurtpakket" in pdf and "29,50" in pdf
    assert "22,50" in pdf and "6,75" in pdf and "20,24" in pdf
    assert "Vera Vrijwilliger" in pdf
    assert "Bram" not in pdf and "63,00" not in pdf and "Steunkousen" not in pdf

    beta_pdf = pdf_text(treasurer_client(beta).get("/overzichten/2025/11.pdf").content)
    assert "Beta: maandoverzicht november 2025" in beta_pdf and "63,00" in beta_pdf
    assert "Vera" not in beta_pdf


def test_pdf_keeps_every_dutch_letter(alfa, beta, klussen):
    """The statement used reportlab's built-in fonts, which lost "ĳ" and letters outside
    Windows-1252; now DejaVu Sans is embedded and every name prints as typed."""
    with schema_context(alfa.schema):
        Member.objects.filter(name="Vera Vrijwilliger").update(name="Vera Bĳl-Şahin Éëïöü")
    response = treasurer_client(alfa).get("/overzichten/2025/11.pdf")
    assert "Vera Bĳl-Şahin Éëïöü" in pdf_text(response.content)
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= pdf_fonts(response.content)
    assert "Helvetica-Bold" not in pdf_fonts(response.content)
    assert "Bĳl" not in pdf_text(treasurer_client(beta).get("/overzichten/2025/11.pdf").content)


def test_pdf_of_an_empty_month(alfa, beta):
    response = treasurer_client(alfa).get("/overzichten/2025/3.pdf")
    assert response.status_code == 200
    assert "Geen klussen in deze maand." in pdf_text(response.content)
    assert "Nog geen abonnement" in pdf_text(response.content)


def test_pdf_has_a_table_of_double_payments(alfa, beta, klussen, doubles):
    pdf = pdf_text(treasurer_client(alfa).get("/overzichten/2025/11.pdf").content)
    assert "Terug te betalen" in pdf and "Online ontvangen op" in pdf
    assert "terugbetaald op 03-12-2025" in pdf and "nog niet" in pdf
    assert "Nog terug te betalen: " in pdf and "Al terugbetaald: " in pdf
    assert "12,34" not in pdf and "3,21" not in pdf
    beta_pdf = pdf_text(treasurer_client(beta).get("/overzichten/2025/11.pdf").content)
    assert "Terug te betalen" in beta_pdf and "12,34" in beta_pdf
    assert "terugbetaald op" not in beta_pdf
    # No section in a month without double payments.
    september = treasurer_client(alfa).get("/overzichten/2025/9.pdf").content
    assert "Terug te betalen" not in pdf_text(september)
