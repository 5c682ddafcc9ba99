"""The network's accounts page (managers only): who is in the network with which role and
whether their phone is set up; invite, change a role, remove, reset someone's phone. Thin:
the services check and write, ``NetworkView`` answers 404 for another network and 403 for an
analyst."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tenants.network_accounts import selectors, services
from tenants.network_accounts.forms import InviteForm, RoleForm
from tenants.networks.models import NetworkRole
from tenants.networks.views import NetworkView


def _messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def _role_form(row: selectors.AccountRow) -> RoleForm:
    """The row's role form, labelled with the person's name (one label per row for a screen
    reader, ids unique by the prefix)."""
    form = RoleForm(initial={"role": row.role.role}, prefix=f"u{row.user.pk}")
    form.fields["role"].label = _("Rol van %(name)s") % {"name": row.user.full_name}
    return form


def accounts_page(
    view: NetworkView,
    form: InviteForm,
    *,
    refusal: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The list with a role form per row, the invitation form and the log."""
    rows = selectors.network_accounts(network=view.network)
    context: dict[str, Any] = {
        "rows": [(row, _role_form(row)) for row in rows],
        "form": form,
        "acts": selectors.network_account_acts(network=view.network),
        "refusal": refusal,
    }
    return view.render_page("network_accounts/accounts.html", context, status=status)


class NetworkAccountsView(NetworkView):
    manager_only = True

    def get(self, request: HttpRequest) -> HttpResponse:
        return accounts_page(self, InviteForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                services.network_account_invite(
                    actor=request.user, network=self.network, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(email)s is uitgenodigd en krijgt een e-mail met een link.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("network-accounts", network=self.network.slug)
        return accounts_page(self, form, status=400)


class AccountActView(NetworkView):
    """An act on one account of the network: ``self.bound`` is its role here (404 for anyone
    not bound to this network)."""

    manager_only = True
    bound: NetworkRole

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.user_id = kwargs.pop("user_id")
        return super().dispatch(request, *args, **kwargs)

    def load(self) -> None:
        found = selectors.network_account_get(network=self.network, user_id=self.user_id)
        if found is None:
            raise Http404
        self.bound = found

    def done(self, message: str) -> HttpResponse:
        messages.success(self.request, message)
        return redirect("network-accounts", network=self.network.slug)

    def refused(self, error: ValidationError) -> HttpResponse:
        return accounts_page(self, InviteForm(), refusal=_messages(error), status=400)


class RoleChangeView(AccountActView):
    def post(self, request: HttpRequest) -> HttpResponse:
        self.load()
        form = RoleForm(request.POST, prefix=f"u{self.bound.user_id}")
        if not form.is_valid():
            return self.refused(ValidationError(_("Kies beheerder of analist.")))
        try:
            services.network_role_change(
                actor=request.user,
                network=self.network,
                bound=self.bound,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            return self.refused(error)
        return self.done(
            _("De rol van %(name)s is nu %(role)s.")
            % {"name": self.bound.user.full_name, "role": self.bound.get_role_display()}
        )


class ReinviteView(AccountActView):
    def post(self, request: HttpRequest) -> HttpResponse:
        self.load()
        try:
            services.network_account_reinvite(
                actor=request.user, network=self.network, bound=self.bound
            )
        except ValidationError as error:
            return self.refused(error)
        return self.done(
            _("%(email)s krijgt opnieuw een e-mail met een link.")
            % {"email": self.bound.user.email}
        )


class ConfirmedActView(AccountActView):
    """An act that asks "are you sure?" first (GET shows the question, POST does it)."""

    question = ""
    explanation = ""
    button = ""

    def get(self, request: HttpRequest) -> HttpResponse:
        self.load()
        return self.confirm_page()

    def confirm_page(self, refusal: list[str] | None = None) -> HttpResponse:
        context = {
            "bound": self.bound,
            "question": self.question % {"name": self.bound.user.full_name},
            "explanation": self.explanation,
            "button": self.button,
            "refusal": refusal,
        }
        return self.render_page(
            "network_accounts/confirm.html", context, status=400 if refusal else 200
        )


class RemoveView(ConfirmedActView):
    question = _("%(name)s uit het netwerk halen?")
    explanation = _(
        "Deze persoon kan daarna de pagina's van dit netwerk niet meer zien. Hoort hij of zij "
        "bij geen enkel netwerk meer, dan kan hij of zij ook niet meer inloggen."
    )
    button = _("Ja, uit het netwerk halen")

    def post(self, request: HttpRequest) -> HttpResponse:
        self.load()
        try:
            services.network_account_remove(
                actor=request.user, network=self.network, bound=self.bound
            )
        except ValidationError as error:
            return self.confirm_page(_messages(error))
        return self.done(
            _("%(name)s hoort niet meer bij het netwerk.") % {"name": self.bound.user.full_name}
        )


class TwoFactorResetView(ConfirmedActView):
    question = _("De telefoon van %(name)s opnieuw laten koppelen?")
    explanation = _(
        "Doe dit als deze persoon de telefoon kwijt is en geen herstelcodes meer heeft. De "
        "gekoppelde telefoon en de herstelcodes werken daarna niet meer; bij de volgende "
        "login koppelt hij of zij een telefoon opnieuw. Controleer eerst, bijvoorbeeld aan de "
        "telefoon, dat u echt met deze persoon spreekt."
    )
    button = _("Ja, telefoon opnieuw laten koppelen")

    def post(self, request: HttpRequest) -> HttpResponse:
        self.load()
        services.network_two_factor_reset(
            actor=request.user, network=self.network, bound=self.bound
        )
        return self.done(
            _("%(name)s koppelt bij de volgende login een telefoon opnieuw.")
            % {"name": self.bound.user.full_name}
        )
