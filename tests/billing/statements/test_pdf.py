"""The monthly statement as PDF: the cooperative, the month, the figures and the double
payments, also for an empty month."""

from __future__ import annotations

from tests.clients import treasurer_client


def test_pdf_with_the_cooperative_the_month_and_the_figures(alfa, beta, klussen, alfa_subscription):
    response = treasurer_client(alfa).get("/overzichten/2025/11.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="noaber-alfa-2025-11.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    # Uncompressed streams in Windows-1252, where "ö" is written as the escape \366.
    assert b"Wijkco\\366peratie Alfa: maandoverzicht november 2025" in pdf
    assert b"Buurtpakket" in pdf and b"29,50" in pdf
    assert b"22,50" in pdf and b"6,75" in pdf and b"20,24" in pdf
    assert b"Vera Vrijwilliger" in pdf
    assert b"Bram" not in pdf and b"63,00" not in pdf and b"Steunkousen" not in pdf

    beta_pdf = treasurer_client(beta).get("/overzichten/2025/11.pdf").content
    assert b"Beta: maandoverzicht november 2025" in beta_pdf and b"63,00" in beta_pdf
    assert b"Vera" not in beta_pdf


def test_pdf_of_an_empty_month(alfa, beta):
    response = treasurer_client(alfa).get("/overzichten/2025/3.pdf")
    assert response.status_code == 200
    assert b"Geen klussen in deze maand." in response.content
    assert b"Nog geen abonnement" in response.content


def test_pdf_has_a_table_of_double_payments(alfa, beta, klussen, doubles):
    pdf = treasurer_client(alfa).get("/overzichten/2025/11.pdf").content
    assert b"Terug te betalen" in pdf and b"Online ontvangen op" in pdf
    assert b"terugbetaald op 03-12-2025" in pdf and b"nog niet" in pdf
    assert b"Nog terug te betalen: " in pdf and b"Al terugbetaald: " in pdf
    assert b"12,34" not in pdf and b"3,21" not in pdf
    beta_pdf = treasurer_client(beta).get("/overzichten/2025/11.pdf").content
    assert b"Terug te betalen" in beta_pdf and b"12,34" in beta_pdf
    assert b"terugbetaald op" not in beta_pdf
    # No section in a month without double payments.
    assert b"Terug te betalen" not in treasurer_client(alfa).get("/overzichten/2025/9.pdf").content
