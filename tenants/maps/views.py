"""Pages of the maps: the board's point on its own subdomain, a network's map of the
cooperatives it sees, and the public map on the apex. Each map is a server-side SVG with the
same places in a table beside it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.translation import gettext as _

from cooperatives.members.models import Member
from shared.tenancy.current import current_cooperative
from shared.views import cooperative_view, form_add_errors
from tenants.maps import selectors, services
from tenants.maps.drawing import map_draw
from tenants.maps.forms import CooperativePlaceForm
from tenants.networks.views import NetworkView


@cooperative_view("cooperative.manage", methods=("GET", "POST"))
def cooperative_place(request: HttpRequest, member: Member) -> HttpResponse:
    """ "Op de kaart": the board sets the centre of its neighbourhood."""
    cooperative = current_cooperative()
    # Shown as the reader writes numbers (52,09070 in Dutch); the service reads both.
    initial = {
        "latitude": "" if cooperative.latitude is None else localize(cooperative.latitude),
        "longitude": "" if cooperative.longitude is None else localize(cooperative.longitude),
    }
    form = CooperativePlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperative_place_set(actor=member, **form.cleaned_data)
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(request, _("De plek op de kaart is opgeslagen."))
            return redirect("cooperative-place")
    return render(
        request,
        "maps/cooperative_place.html",
        {
            "form": form,
            "drawing": map_draw(selectors.cooperative_place(cooperative=cooperative)),
            "on_map_in": selectors.cooperative_on_map_in(cooperative=cooperative),
        },
        status=400 if form.errors else 200,
    )


class NetworkMapView(NetworkView):
    """The network's cooperatives that agreed to be on its map."""

    def get(self, request: HttpRequest) -> HttpResponse:
        places, without_point = selectors.network_map(network=self.network)
        return self.render_page(
            "maps/network_map.html",
            {"drawing": map_draw(places), "places": places, "without_point": without_point},
        )


def public_map(request: HttpRequest) -> HttpResponse:
    """/kaart/ on the apex: the cooperatives that chose to be on the map, for anyone."""
    places = selectors.public_map()
    return render(request, "maps/public_map.html", {"drawing": map_draw(places), "places": places})
