"""The network's sponsorship page on the apex (/netwerk/<network>/sponsoring/, managers
only): which member cooperatives the network pays for, starting and ending that, and the
network's own subscription at Stripe. A page of ``tenants.networks.views.NetworkView`` (billing
may import tenants; the network menu links it by its fixed URL name ``network-sponsorship``).

When Stripe does not answer, the page says so in Dutch: the service raised before writing a
sponsorship, and the outbox keeps the call to retry with the same idempotency key."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from billing.outbox.services import StripeUnavailable
from billing.sponsorship import selectors, services
from billing.sponsorship.forms import SponsorshipStartForm
from billing.subscriptions.models import Subscription
from shared.views import form_add_errors
from tenants.networks.views import NetworkView


def stripe_unavailable_message() -> str:
    return _(
        "Stripe antwoordt op dit moment niet. Er is niets vastgelegd en er wordt niets "
        "betaald; probeer het over een paar minuten opnieuw."
    )


class SponsorshipView(NetworkView):
    manager_only = True

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(self.start_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.start_form(request.POST)
        if form.is_valid():
            try:
                sponsorship = services.sponsorship_start(
                    network=self.network,
                    cooperative=form.cleaned_data["cooperative"],
                    plan=form.cleaned_data.get("plan"),
                    # The audit log of the cooperative names its own members; a network
                    # manager is not one, so the entry names the network instead.
                    actor_id=None,
                )
            except ValidationError as error:
                form_add_errors(form, error)
            except StripeUnavailable:
                form.add_error(None, stripe_unavailable_message())
            else:
                messages.success(
                    request,
                    _("%(network)s betaalt nu het abonnement van %(coop)s.")
                    % {"network": self.network.name, "coop": sponsorship.cooperative.name},
                )
                return redirect("network-sponsorship", network=self.network.slug)
        return self.page(form, status=400)

    def start_form(self, data: object = None) -> SponsorshipStartForm:
        billing = selectors.network_subscription_of(network=self.network)
        return SponsorshipStartForm(
            data,
            cooperatives=selectors.cooperatives_to_sponsor(network=self.network),
            plans=None if billing is not None else selectors.sponsorable_plans(),
        )

    def page(self, form: SponsorshipStartForm, status: int = 200) -> HttpResponse:
        billing = selectors.network_subscription_of(network=self.network)
        sponsorships = list(selectors.sponsorships_of_network(network=self.network))
        return self.render_page(
            "sponsorship/network.html",
            {
                "billing": billing,
                "status_word": Subscription.Status.word(billing.status) if billing else "",
                "running": [s for s in sponsorships if s.ended_at is None],
                "ended": [s for s in sponsorships if s.ended_at is not None],
                "form": form,
                "can_start": bool(selectors.cooperatives_to_sponsor(network=self.network)),
            },
            status=status,
        )


class SponsorshipEndView(NetworkView):
    """POST: the network stops paying for one cooperative (another network's sponsorship is
    not found)."""

    manager_only = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sponsorship = selectors.sponsorship_running_of_network(network=self.network, pk=pk)
        if sponsorship is None:
            raise Http404
        try:
            services.sponsorship_end(cooperative=sponsorship.cooperative, actor_id=None)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("%(network)s betaalt niet meer voor %(coop)s.")
                % {"network": self.network.name, "coop": sponsorship.cooperative.name},
            )
        return redirect("network-sponsorship", network=self.network.slug)
