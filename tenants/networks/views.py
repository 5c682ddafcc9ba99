"""Pages of network users on the apex, and the base view every one of them is built on.

``NetworkView`` is the network side's only door: it sends a visitor to the login, a user
without a verified second factor to the 2FA step, and answers 404 for a network the user is
not bound to (so another network's existence is not confirmed). A manager-only page says
``manager_only = True``. The network comes from the URL (``<slug:network>``); the page's
cooperatives come from ``selectors.cooperatives_visible_to_network`` only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from tenants.models import Network
from tenants.networks import selectors
from tenants.networks.models import NetworkRole
from tenants.networks.navigation import network_menu


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
