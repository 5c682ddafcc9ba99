"""Pages of network users on the apex, and the base view every one of them is built on.

``NetworkView`` is the network side's only door: it sends a visitor to the login, a user
without a verified second factor to the 2FA step, and answers 404 for a network the user is
not bound to (so another network's existence is not confirmed). A manager-only page says
``manager_only = True``. The network comes from the URL (``<slug:network>``); the page's
cooperatives come from ``selectors.cooperatives_visible_to_network`` only.

Memberships have a page on each side: the network manager's (``MembershipsView``: requests,
invitations, members, history) and the board's on the cooperative's subdomain
(``cooperative_networks`` and its forms: ask to join, answer an invitation, change or withdraw
what is shared, end). The writes are ``tenants.networks.services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from cooperatives.figures.catalog import GROUPS, group_label
from cooperatives.governance.selectors import body_deciding
from shared.tenancy.current import current_cooperative
from shared.views import cooperative_view, form_add_errors, found_or_404
from tenants.models import Cooperative, Network
from tenants.networks import selectors, services
from tenants.networks.forms import (
    DecidedSharingForm,
    InviteForm,
    RequestForm,
    SearchForm,
    SharingForm,
)
from tenants.networks.models import Membership, NetworkRole
from tenants.networks.navigation import network_menu
from tenants.selectors import cooperative_search


def two_factor_verified(request: HttpRequest) -> bool:
    """The session passed the second factor (django-otp's middleware sets ``is_verified``)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def network_gate(request: HttpRequest) -> HttpResponse | None:
    """The answer for a request that may not see network pages yet, or None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("login"))
    if not two_factor_verified(request):
        return redirect_to_login(request.get_full_path(), reverse("two-factor"))
    return None


class NetworkView(View):
    """Base of every network page: ``self.network`` and ``self.role`` are set before the
    handler runs; ``render_page`` adds them and the network's menu to the context."""

    manager_only = False
    network: Network
    role: str

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refused = network_gate(request)
        if refused is not None:
            return refused
        found = selectors.network_get(user=request.user, slug=kwargs.pop("network"))
        if found is None:
            raise Http404
        self.network, self.role = found
        if self.manager_only and self.role != NetworkRole.Role.MANAGER:
            return render(request, "403.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_manager(self) -> bool:
        return self.role == NetworkRole.Role.MANAGER

    def render_page(
        self, template: str, context: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        page = {
            "network": self.network,
            "network_role": self.role,
            "is_manager": self.is_manager,
            "menu": network_menu(request=self.request, network=self.network, role=self.role),
            **(context or {}),
        }
        return render(self.request, template, page, status=status)


def network_home(request: HttpRequest) -> HttpResponse:
    """/netwerk/: straight to the one network's figures, or the list of the user's networks."""
    refused = network_gate(request)
    if refused is not None:
        return refused
    networks = selectors.networks_of(user=request.user)
    if len(networks) == 1:
        return redirect("network-dashboard", network=networks[0].slug)
    return render(request, "networks/home.html", {"networks": networks})


# --- the network's side of memberships (apex, managers only) -----------------------------------


def _group_labels(keys: list[str]) -> list[str]:
    return [str(group_label(key)) for key in keys]


class MembershipsView(NetworkView):
    """/netwerk/<network>/leden/: requests to answer, invitations sent, members with since
    and what each shares, inviting a cooperative, and the history of ended and declined ones.
    Lists only the network's own Membership rows and the public registry's names."""

    manager_only = True

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(SearchForm(request.GET or None))

    def page(self, search: SearchForm, invite_errors: list[str] | None = None) -> HttpResponse:
        rows = list(selectors.memberships_of_network(network=self.network))
        for row in rows:
            row.group_labels = _group_labels(row.share_groups)  # type: ignore[attr-defined]
        found: list[Cooperative] = []
        if search.is_valid() and search.cleaned_data["q"]:
            taken = {r.cooperative_id for r in rows if r.status in Membership.OPEN}
            found = [
                c for c in cooperative_search(query=search.cleaned_data["q"]) if c.pk not in taken
            ]
        status = 400 if invite_errors else 200
        return self.render_page(
            "networks/memberships.html",
            {
                "requests": [r for r in rows if r.status == Membership.Status.REQUESTED],
                "invited": [r for r in rows if r.status == Membership.Status.INVITED],
                "members": sorted(
                    (r for r in rows if r.status == Membership.Status.ACTIVE),
                    key=lambda r: r.cooperative.name.casefold(),
                ),
                "history": [
                    r
                    for r in rows
                    if r.status in (Membership.Status.ENDED, Membership.Status.DECLINED)
                ],
                "search": search,
                "searched": search.is_bound,
                "found": found,
                "invite_errors": invite_errors or [],
            },
            status=status,
        )


class MembershipInviteView(MembershipsView):
    """POST: invite a cooperative found by the search; a refusal shows the page with why."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InviteForm(request.POST)
        cooperative = (
            Cooperative.objects.filter(slug=form.data.get("cooperative", "")).first()
            if form.is_valid()
            else None
        )
        if cooperative is None:
            raise Http404
        try:
            services.membership_invite(
                network=self.network,
                cooperative=cooperative,
                message=form.cleaned_data["message"],
                user=request.user,
            )
        except ValidationError as error:
            return self.page(SearchForm(), invite_errors=error.messages)
        messages.success(
            request,
            _("%(coop)s is uitgenodigd. Het bestuur krijgt een e-mail.")
            % {"coop": cooperative.name},
        )
        return redirect("network-memberships", network=self.network.slug)


class MembershipActView(NetworkView):
    """POST: the network accepts or declines a request, or ends a membership (or withdraws
    its own invitation). Another network's membership is not found (404)."""

    manager_only = True
    http_method_names = ["post"]
    act = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = selectors.membership_of_network(network=self.network, pk=pk)
        if membership is None:
            raise Http404
        acts: dict[str, tuple[Callable[..., Membership], str]] = {
            "accept": (services.membership_accept, _("%(coop)s is nu lid van het netwerk.")),
            "decline": (services.membership_decline, _("Het verzoek van %(coop)s is afgewezen.")),
            "end": (services.membership_end, _("Het lidmaatschap van %(coop)s is beëindigd.")),
        }
        service, done = acts[self.act]
        try:
            service(membership=membership, side=Membership.Side.NETWORK, actor=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, done % {"coop": membership.cooperative.name})
        return redirect("network-memberships", network=self.network.slug)


# --- the cooperative's side (its board, on the cooperative's subdomain) -------------------------


def _this_cooperative(request: HttpRequest) -> Cooperative:
    cooperative = current_cooperative()
    if cooperative is None:  # pragma: no cover - the tenant URLs only answer on a subdomain
        raise Http404
    return cast(Cooperative, cooperative)


def _membership_or_404(request: HttpRequest, pk: int) -> Membership:
    return found_or_404(
        selectors.membership_of_cooperative(cooperative=_this_cooperative(request), pk=pk)
    )


@cooperative_view("network.manage")
def cooperative_networks(request: HttpRequest, member: Any) -> HttpResponse:
    """The board's Netwerken page: memberships with what each shares, invitations to answer,
    requests waiting, networks it can ask to join, and what a network sees and never sees."""
    cooperative = _this_cooperative(request)
    rows = list(selectors.memberships_of_cooperative(cooperative=cooperative))
    for row in rows:
        row.group_labels = _group_labels(row.share_groups)  # type: ignore[attr-defined]
    return render(
        request,
        "networks/cooperative.html",
        {
            "cooperative": cooperative,
            "invitations": [r for r in rows if r.status == Membership.Status.INVITED],
            "requested": [r for r in rows if r.status == Membership.Status.REQUESTED],
            "active": [r for r in rows if r.status == Membership.Status.ACTIVE],
            "history": [
                r for r in rows if r.status in (Membership.Status.ENDED, Membership.Status.DECLINED)
            ],
            "to_join": selectors.networks_to_join(cooperative=cooperative),
            "groups": GROUPS,
        },
    )


@cooperative_view("network.manage", methods=("GET", "POST"))
def cooperative_request(request: HttpRequest, member: Any) -> HttpResponse:
    """Ask to join a network, choosing what to share."""
    cooperative = _this_cooperative(request)
    networks = selectors.networks_to_join(cooperative=cooperative)
    initial = {}
    chosen = next((n for n in networks if n.slug == request.GET.get("netwerk")), None)
    if chosen is not None:
        initial["network"] = chosen.pk
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        networks=networks,
        initial=initial,
        network=chosen,
    )
    if request.method == "POST" and form.is_valid():
        network = form.cleaned_data["network"]
        try:
            services.membership_request(
                cooperative=cooperative,
                network=network,
                sharing=form.sharing(),
                message=form.cleaned_data["message"],
                actor=member,
                adopting=form.adopting(),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                _("Uw verzoek is verstuurd naar %(network)s. U hoort het als zij antwoorden.")
                % {"network": network.name},
            )
            return redirect("networks-cooperative")
    return render(
        request,
        "networks/request.html",
        {
            "form": form,
            "networks": networks,
            "groups": GROUPS,
            "deciding": body_deciding(subject="network"),
        },
        status=400 if form.errors else 200,
    )


@cooperative_view("network.manage", methods=("GET", "POST"))
def cooperative_sharing(request: HttpRequest, pk: int, member: Any) -> HttpResponse:
    """Change what is shared with a network (a membership or a request), or accept an
    invitation with the sharing chosen here."""
    membership = _membership_or_404(request, pk)
    if membership.status not in (
        Membership.Status.INVITED,
        Membership.Status.REQUESTED,
        Membership.Status.ACTIVE,
    ):
        raise Http404
    accepting = membership.status == Membership.Status.INVITED
    initial = {
        "share_groups": membership.share_groups,
        "on_map": membership.on_map,
        "share_with_parent": membership.share_with_parent,
    }
    form_class = DecidedSharingForm if accepting else SharingForm
    form = form_class(
        request.POST if request.method == "POST" else None,
        network=membership.network,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if accepting:
                assert isinstance(form, DecidedSharingForm)
                services.membership_accept(
                    membership=membership,
                    side=Membership.Side.COOPERATIVE,
                    actor=member,
                    sharing=form.sharing(),
                    adopting=form.adopting(),
                )
                done = _("De coöperatie is nu lid van %(network)s.")
            else:
                services.membership_sharing_change(
                    membership=membership, sharing=form.sharing(), actor=member
                )
                done = _(
                    "Opgeslagen. De cijfers van %(network)s volgen na de volgende nachtelijke "
                    "berekening."
                )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, done % {"network": membership.network.name})
            return redirect("networks-cooperative")
    return render(
        request,
        "networks/sharing.html",
        {
            "form": form,
            "membership": membership,
            "accepting": accepting,
            "groups": GROUPS,
            "deciding": body_deciding(subject="network"),
        },
        status=400 if form.errors else 200,
    )


def _cooperative_act(act: str) -> Any:
    @cooperative_view("network.manage", methods=("POST",))
    def view(request: HttpRequest, pk: int, member: Any) -> HttpResponse:
        membership = _membership_or_404(request, pk)
        service, done = {
            "decline": (services.membership_decline, _("De uitnodiging is afgewezen.")),
            "end": (
                services.membership_end,
                _("Het lidmaatschap of verzoek bij %(network)s is beëindigd."),
            ),
        }[act]
        try:
            service(membership=membership, side=Membership.Side.COOPERATIVE, actor=member)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, done % {"network": membership.network.name})
        return redirect("networks-cooperative")

    view.__name__ = f"cooperative_{act}"
    return view


cooperative_decline = _cooperative_act("decline")
cooperative_end = _cooperative_act("end")
