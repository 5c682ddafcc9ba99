"""The annual report's pages: the list, one report (figures, the board's texts, the
kascommissie's findings, the ALV's decisions), the forms for each step, and the PDF."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cooperatives.annual_report import selectors, services
from cooperatives.annual_report.forms import (
    ReportApproveForm,
    ReportCreateForm,
    ReportReviewForm,
    ReportTextsForm,
)
from cooperatives.annual_report.models import AnnualReport
from cooperatives.annual_report.pdf import report_pdf
from cooperatives.members.models import Member
from shared.permissions import forbidden
from shared.tenancy.current import current_cooperative
from shared.views import cooperative_view, form_add_errors, found_or_404


def _report(member: Member, year: int) -> AnnualReport:
    return found_or_404(selectors.report_get(viewer=member, year=year))


@cooperative_view("report.read", methods=("GET", "POST"))
def report_list(request: HttpRequest, member: Member) -> HttpResponse:
    """Every report the member may read; the board starts a new one here."""
    may_edit = selectors.may(member, "report.edit")
    form = ReportCreateForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        if form is None:
            return forbidden(request)
        if form.is_valid():
            try:
                report = services.report_create(actor=member, year=form.cleaned_data["year"])
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                return redirect("annual-report-detail", report.year)
    return render(
        request,
        "annual_report/list.html",
        {"reports": selectors.reports_visible(viewer=member), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@cooperative_view("report.read")
def report_detail(request: HttpRequest, year: int, member: Member) -> HttpResponse:
    report = _report(member, year)
    figures = selectors.report_figures(report=report)
    return render(
        request,
        "annual_report/detail.html",
        {
            "report": report,
            "sections": selectors.figures_display(figures),
            "may_edit": selectors.may(member, "report.edit") and not report.frozen,
            "may_review": selectors.may(member, "report.review") and not report.frozen,
            "may_approve": selectors.may(member, "report.approve")
            and report.status == AnnualReport.Status.REVIEWED,
        },
    )


@cooperative_view("report.edit", methods=("GET", "POST"))
def report_edit(request: HttpRequest, year: int, member: Member) -> HttpResponse:
    report = _report(member, year)
    initial = {name: getattr(report, name) for name in services.TEXT_FIELDS}
    form = ReportTextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_texts_save(actor=member, report=report, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect("annual-report-detail", report.year)
    return _form(request, "annual_report/edit.html", report, form)


@cooperative_view("report.review", methods=("GET", "POST"))
def report_review(request: HttpRequest, year: int, member: Member) -> HttpResponse:
    report = _report(member, year)
    initial: dict[str, Any] = {
        "findings": report.audit_findings,
        "reviewed_on": report.audit_reviewed_on or timezone.localdate(),
        "recommends_discharge": (
            None
            if report.audit_recommends_discharge is None
            else "1"
            if report.audit_recommends_discharge
            else "0"
        ),
    }
    form = ReportReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_review(actor=member, report=report, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect("annual-report-detail", report.year)
    return _form(request, "annual_report/review.html", report, form)


@cooperative_view("report.approve", methods=("GET", "POST"))
def report_approve(request: HttpRequest, year: int, member: Member) -> HttpResponse:
    report = _report(member, year)
    form = ReportApproveForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_approve(actor=member, report=report, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect("annual-report-detail", report.year)
    return _form(request, "annual_report/approve.html", report, form)


def _form(request: HttpRequest, template: str, report: AnnualReport, form: Any) -> HttpResponse:
    return render(
        request,
        template,
        {"report": report, "form": form},
        status=400 if form.errors else 200,
    )


@cooperative_view("report.read")
def report_pdf_download(request: HttpRequest, year: int, member: Member) -> HttpResponse:
    report = _report(member, year)
    cooperative = current_cooperative()
    name = cooperative.name if cooperative else ""
    content = report_pdf(
        report=report,
        cooperative_name=name,
        sections=selectors.figures_display(selectors.report_figures(report=report)),
    )
    response = HttpResponse(content, content_type="application/pdf")
    slug = cooperative.slug if cooperative else "noaber"
    response["Content-Disposition"] = f'attachment; filename="jaarverslag-{slug}-{year}.pdf"'
    return response
