"""The meetings' pages: every member's list and meeting page (agenda, documents, RSVP, proxy,
online vote, receipt), the secretary's pages to prepare, convene, keep the attendance register
and record each result from a phone, and the coordinators' letters for members without email."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.governance.selectors import statutes_current
from cooperatives.meetings import forms, pdf, selectors, services
from cooperatives.meetings.models import AgendaItem, Meeting
from cooperatives.members.models import Member
from shared import permissions
from shared.views import cooperative_view, form_add_errors, found_or_404


@cooperative_view("meeting.view")
def meeting_list(request: HttpRequest, member: Member) -> HttpResponse:
    meetings = list(selectors.meetings_for(viewer=member))
    now = timezone.now()
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": [m for m in meetings if m.starts_at >= now][::-1],
            "past": [m for m in meetings if m.starts_at < now],
            "can_manage": permissions.can(member, "meeting.manage"),
        },
    )


def _items(meeting: Meeting, member: Member) -> list[dict[str, Any]]:
    rows = []
    for item in selectors.agenda(meeting=meeting):
        rows.append(
            {
                "item": item,
                "evoting_open": selectors.evoting_open(item=item),
                "voted": item.votes and selectors.has_voted(item=item, member=member),
            }
        )
    return rows


@cooperative_view("meeting.view")
def meeting_detail(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    meeting = found_or_404(selectors.meeting_get(viewer=member, pk=pk))
    entitled = selectors.is_entitled(meeting=meeting, member=member)
    rsvp = selectors.rsvp_of(meeting=meeting, member=member)
    proxy = selectors.proxy_given_by(meeting=meeting, member=member)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "items": _items(meeting, member),
            "entitled": entitled,
            "rsvp": rsvp,
            "rsvp_form": forms.RsvpForm(initial={"answer": rsvp.answer if rsvp else None}),
            "proxy": proxy,
            "proxies_held": selectors.proxies_held_by(meeting=meeting, member=member),
            "proxy_form": forms.ProxyForm(
                members=selectors.entitled_members(meeting=meeting).exclude(pk=member.pk)
            ),
            "proxies_allowed": statutes_current().proxies_allowed,
            "open_for_answers": meeting.status == Meeting.Status.CONVENED,
            "can_manage": permissions.can(member, "meeting.manage"),
        },
    )


@cooperative_view("meeting.rsvp", methods=("POST",))
def meeting_rsvp(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    meeting = found_or_404(selectors.meeting_get(viewer=member, pk=pk))
    form = forms.RsvpForm(request.POST)
    if form.is_valid():
        try:
            services.rsvp_set(actor=member, meeting=meeting, answer=form.cleaned_data["answer"])
            messages.success(request, _("Dank u, uw antwoord is opgeslagen."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Kies of u komt."))
    return redirect("meeting-detail", pk=meeting.pk)


@cooperative_view("proxy.grant", methods=("POST",))
def meeting_proxy(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    meeting = found_or_404(selectors.meeting_get(viewer=member, pk=pk))
    form = forms.ProxyForm(
        request.POST, members=selectors.entitled_members(meeting=meeting).exclude(pk=member.pk)
    )
    if form.is_valid():
        try:
            services.proxy_grant(
                actor=member, meeting=meeting, grantor=member, holder=form.cleaned_data["holder"]
            )
            messages.success(request, _("Uw machtiging is vastgelegd."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Kies wie voor u stemt."))
    return redirect("meeting-detail", pk=meeting.pk)


def _voters(item: AgendaItem, member: Member) -> list[tuple[int, str]]:
    """Whom the member may still vote for online: themselves and those whose proxy they hold."""
    options = []
    if not selectors.has_voted(item=item, member=member):
        options.append((member.pk, _("mijzelf")))
    for proxy in selectors.proxies_held_by(meeting=item.meeting, member=member):
        if not selectors.has_voted(item=item, member=proxy.grantor):
            options.append(
                (proxy.grantor.pk, _("%(name)s (machtiging)") % {"name": proxy.grantor.name})
            )
    return options


@cooperative_view("meeting.vote", methods=("GET", "POST"))
def item_vote(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    item = found_or_404(selectors.item_get(viewer=member, pk=pk))
    voters = _voters(item, member)
    form = forms.VoteForm(request.POST or None, voters=voters)
    if request.method == "POST" and form.is_valid():
        grantors = {
            p.grantor.pk: p.grantor
            for p in selectors.proxies_held_by(meeting=item.meeting, member=member)
        }
        whom = grantors.get(form.cleaned_data["for_member"])
        try:
            if item.vote_mode == AgendaItem.VoteMode.SECRET:
                code = services.ballot_cast_secret(
                    actor=member, item=item, choice=form.cleaned_data["choice"], for_member=whom
                )
                # The receipt is shown once, here; it is not stored with the voter.
                return render(request, "meetings/receipt.html", {"item": item, "code": code})
            services.vote_cast_open(
                actor=member, item=item, choice=form.cleaned_data["choice"], for_member=whom
            )
            messages.success(request, _("Uw stem is uitgebracht."))
            return redirect("meeting-detail", pk=item.meeting_id)
        except ValidationError as error:
            form_add_errors(form, error)
    return render(
        request,
        "meetings/vote.html",
        {"item": item, "form": form, "open": selectors.evoting_open(item=item), "voters": voters},
        status=400 if form.errors else 200,
    )


@cooperative_view("meeting.view")
def item_receipts(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    item = found_or_404(selectors.item_get(viewer=member, pk=pk))
    return render(
        request,
        "meetings/receipts.html",
        {"item": item, "codes": selectors.receipts_counted(item=item)},
    )


# --- the secretary ------------------------------------------------------------------------------


@cooperative_view("meeting.manage")
def meeting_manage(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request, "meetings/manage.html", {"meetings": selectors.meetings_for(viewer=member)}
    )


@cooperative_view("meeting.manage", methods=("GET", "POST"))
def meeting_new(request: HttpRequest, member: Member) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None)
    starts_at = form.starts_at() if request.method == "POST" and form.is_valid() else None
    if starts_at is not None:
        try:
            meeting = services.meeting_create(
                actor=member,
                body=form.cleaned_data["body"],
                title=form.cleaned_data["title"],
                starts_at=starts_at,
                place=form.cleaned_data["place"],
                online_link=form.cleaned_data["online_link"],
                previous_minutes=form.cleaned_data["previous_minutes"],
            )
            messages.success(request, _("De vergadering is aangemaakt. Zet nu de agenda klaar."))
            return redirect("meeting-prepare", pk=meeting.pk)
        except ValidationError as error:
            form_add_errors(form, error)
    return render(request, "meetings/new.html", {"form": form}, status=400 if form.errors else 200)


@cooperative_view("meeting.manage", methods=("GET", "POST"))
def meeting_prepare(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    meeting = found_or_404(selectors.meeting_get(viewer=member, pk=pk))
    form = forms.AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(actor=member, meeting=meeting, **form.arguments())
            messages.success(request, _("Het agendapunt is toegevoegd."))
            return redirect("meeting-prepare", pk=meeting.pk)
        except ValidationError as error:
            form_add_errors(form, error)
    return render(
        request,
        "meetings/prepare.html",
        {
            "meeting": meeting,
            "items": selectors.agenda(meeting=meeting),
            "form": form,
            "preparing": meeting.status in (Meeting.Status.DRAFT, Meeting.Status.CONVENED),
            "statutes": statutes_current(),
            "letters": selectors.members_without_email(meeting=meeting).count(),
        },
        status=400 if form.errors else 200,
    )


@cooperative_view("meeting.manage", methods=("POST",))
def meeting_convene(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    meeting = found_or_404(selectors.meeting_get(viewer=member, pk=pk))
    try:
        services.meeting_convene(actor=member, meeting=meeting)
        messages.success(request, _("De uitnodigingen zijn verstuurd."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meeting-prepare", pk=meeting.pk)


@cooperative_view("meeting.manage", methods=("GET", "POST"))
def meeting_attendance(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """The attendance register on a phone: one button per member, the quorum on top, and the
    paper proxies."""
    meeting = found_or_404(selectors.meeting_get(viewer=member, pk=pk))
    entitled = selectors.entitled_members(meeting=meeting)
    proxy_form = forms.PaperProxyForm(
        request.POST if "grantor" in request.POST else None, members=entitled
    )
    if request.method == "POST":
        try:
            if "grantor" in request.POST:
                if proxy_form.is_valid():
                    services.proxy_grant(actor=member, meeting=meeting, **proxy_form.cleaned_data)
                    messages.success(request, _("De machtiging is vastgelegd."))
                    return redirect("meeting-attendance", pk=meeting.pk)
            else:
                who = found_or_404(entitled.filter(pk=request.POST.get("member") or 0).first())
                services.attendance_register(
                    actor=member,
                    meeting=meeting,
                    member=who,
                    present=request.POST.get("present") == "1",
                )
                return redirect(f"{request.path}#lid-{who.pk}")
        except ValidationError as error:
            if "grantor" in request.POST:
                form_add_errors(proxy_form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("meeting-attendance", pk=meeting.pk)
    present = set(meeting.attendance.values_list("member_id", flat=True))
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "members": [(m, m.pk in present) for m in entitled.order_by("name", "id")],
            "quorum": selectors.quorum_check(meeting=meeting),
            "proxies": meeting.proxies.select_related("grantor", "holder"),
            "proxy_form": proxy_form,
            "items": selectors.agenda(meeting=meeting),
            "minutes_form": forms.MinutesForm(
                initial={"text": meeting.minutes.text if meeting.minutes else ""}
            ),
        },
        status=400 if proxy_form.errors else 200,
    )


@cooperative_view("meeting.manage", methods=("GET", "POST"))
def item_result(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    item = found_or_404(selectors.item_get(viewer=member, pk=pk))
    form: forms.ResultForm | forms.OutcomeForm
    form = (forms.ResultForm if item.votes else forms.OutcomeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.item_record_result(actor=member, item=item, **form.cleaned_data)
            messages.success(
                request,
                _("Besluit %(number)s is vastgelegd: %(outcome)s.")
                % {"number": decision.number, "outcome": decision.get_outcome_display()},
            )
            return redirect("meeting-attendance", pk=item.meeting_id)
        except ValidationError as error:
            form_add_errors(form, error)
    return render(
        request,
        "meetings/result.html",
        {
            "item": item,
            "form": form,
            "cast": selectors.tally(item=item) if item.votes else None,
            "quorum": selectors.quorum_check(meeting=item.meeting),
        },
        status=400 if form.errors else 200,
    )


@cooperative_view("meeting.manage", methods=("POST",))
def meeting_minutes(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    meeting = found_or_404(selectors.meeting_get(viewer=member, pk=pk))
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_minutes_save(
                actor=member, meeting=meeting, text=form.cleaned_data["text"]
            )
            messages.success(request, _("De notulen zijn opgeslagen."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("meeting-attendance", pk=meeting.pk)


@cooperative_view("meeting.manage", methods=("POST",))
def meeting_close(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    meeting = found_or_404(selectors.meeting_get(viewer=member, pk=pk))
    try:
        services.meeting_close(actor=member, meeting=meeting)
        messages.success(request, _("De vergadering is afgesloten."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meeting-attendance", pk=meeting.pk)


# --- the coordinators' letters ------------------------------------------------------------------


@cooperative_view("meeting.letters")
def meeting_letters(request: HttpRequest, member: Member) -> HttpResponse:
    rows = [
        (meeting, list(selectors.members_without_email(meeting=meeting)))
        for meeting in selectors.meetings_with_letters()
    ]
    return render(request, "meetings/letters.html", {"rows": rows})


@cooperative_view("meeting.letters")
def meeting_letters_pdf(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    meeting = found_or_404(selectors.meetings_with_letters().filter(pk=pk).first())
    response = HttpResponse(pdf.letters_pdf(meeting=meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="uitnodiging-{meeting.pk}.pdf"'
    return response
