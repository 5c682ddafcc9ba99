"""Demo data of the annual report: in `oost`, the 2025 report as a draft with the board's
texts and the kascommissie's findings, waiting for the ALV. Idempotent."""

from __future__ import annotations

import datetime as dt

from cooperatives.annual_report.models import AnnualReport
from cooperatives.annual_report.services import report_create, report_review, report_texts_save
from cooperatives.members.models import Member

YEAR = 2025

FOREWORD = (
    "Beste buren,\n\nIn 2025 hielpen we elkaar vaker dan ooit: met boodschappen, in de tuin en "
    "bij een lekkende kraan. Dank aan iedereen die een uur gaf of een uur vroeg."
)
ACTIVITIES = (
    "Elke dinsdag koffie in het buurthuis, een klussendag in Oudwijk en een cursus "
    "'veilig internetten' voor 65-plussers. De spelregels zijn in het najaar herzien."
)
OUTLOOK = (
    "In 2026 willen we meer buren bereiken die zelf geen internet gebruiken, samen met de "
    "huisartsen en de bibliotheek."
)
FINDINGS = (
    "De kascommissie (twee leden) heeft op 20 januari 2026 het puntenoverzicht, de "
    "maandoverzichten van de klussen en het logboek over 2025 nagekeken. De punten in omloop "
    "zijn gelijk aan de uitgifte; de klussen in euro's sluiten aan op de maandoverzichten. "
    "Eén klus uit december stond nog open; die is inmiddels betaald."
)


def seed(*, board: Member) -> AnnualReport:
    found = AnnualReport.objects.filter(year=YEAR).first()
    if found is not None:
        return found
    reviewer = (
        Member.objects.filter(role_assignments__role="audit_committee").order_by("pk").first()
    )
    report = report_create(actor=board, year=YEAR)
    report = report_texts_save(
        actor=board, report=report, foreword=FOREWORD, activities=ACTIVITIES, outlook=OUTLOOK
    )
    return report_review(
        actor=reviewer,
        report=report,
        findings=FINDINGS,
        recommends_discharge=True,
        reviewed_on=dt.date(2026, 1, 20),
    )
