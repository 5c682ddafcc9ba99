"""The privacy boundary, replayed (issue 13, item 3): every network page and API route, as a
network user, with every path argument filled with ids and slugs taken from inside the
cooperatives, finds nothing personal; a route given an id or slug that is not the network's
own answers 404 or 403; and a SAMEN030 user never meets a Rijnmond-only cooperative.

The routes are read from the apex's URL resolver (everything under ``netwerk/`` and
``api/v1/networks/``), so a route another feature adds is replayed here without a change.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context

from cooperatives.marketplace.models import HelpRequest
from cooperatives.members.models import Member
from cooperatives.setup.models import Cluster
from tenants.networks.models import Membership, NetworkRole
from tests.clients import network_client
from tests.factories import (
    FIGURE_CELLS,
    HelpRequestFactory,
    MemberFactory,
    figures_make,
    membership_make,
    network_user,
)

PREFIXES = ("netwerk/", "api/v1/networks/")
ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# At most this many combinations of arguments per route (a route with three ids would
# otherwise be asked thousands of times).
MOST = 30

NOVEMBER = dt.date(2026, 11, 1)
OCTOBER = dt.date(2026, 10, 1)


def network_routes() -> list[tuple[str, URLPattern]]:
    """Every route of the apex under the network prefixes, as its full route string."""
    found: list[tuple[str, URLPattern]] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, route)
            elif route.startswith(PREFIXES):
                # A regular expression cannot be filled in here: a network route is a path().
                assert "^" not in route and "(?P" not in route, route
                found.append((route, entry))

    walk(get_resolver("noaber.urls_public"), "")
    return found


@dataclass(frozen=True)
class Value:
    text: str
    foreign: bool  # not the network's own: the route must answer 404 or 403


@dataclass
class World:
    personal: list[str]
    ints: list[Value]
    slugs: list[Value]
    networks: list[Value]


def _people(coop, prefix: str) -> tuple[list[Member], list[HelpRequest]]:
    """Members with addresses and emails, and requests with free text, inside ``coop``."""
    members = [
        MemberFactory(
            schema=coop.schema,
            name=f"{prefix} Kastanjeboom {n}",
            email=f"{prefix.lower()}.boom{n}@prive.example.nl",
            street=f"{prefix}zonnebloemstraat",
            house_number=str(10 + n),
            postcode=f"35{72 + n}XK",
        )
        for n in range(3)
    ]
    with schema_context(coop.schema):
        cluster = Cluster.objects.filter(is_active=True).order_by("pk").first()
    requests = [
        HelpRequestFactory(
            schema=coop.schema,
            requester=member,
            cluster=cluster,
            network_checked=True,
            title=f"{prefix} gordijnen ophangen bij mevrouw {n}",
            description=f"{prefix}: de sleutel ligt onder de mat van nummer {n}, bel niet aan",
        )
        for n, member in enumerate(members)
    ]
    return members, requests


def _personal(coop) -> list[str]:
    """Everything personal inside a cooperative's schema (its board members too)."""
    found: set[str] = set()
    with schema_context(coop.schema):
        for name, email, street, postcode in Member.objects.values_list(
            "name", "email", "street", "postcode"
        ):
            found.update([name, email, street, postcode])
            if len(postcode) == 6:
                found.add(f"{postcode[:4]} {postcode[4:]}")
        for title, description, street, postcode in HelpRequest.objects.values_list(
            "title", "description", "street", "postcode"
        ):
            found.update([title, description, street, postcode])
    return [text for text in found if len(text) >= 5]


def _own_accounts(network) -> set[int]:
    """The ids of the network's own administrators and analysts (its accounts pages)."""
    with schema_context("public"):
        return set(NetworkRole.objects.filter(network=network).values_list("user_id", flat=True))


def _world(alfa, beta, networks, own_network, own_cooperatives) -> World:
    """The values to fill routes with, for a user of ``own_network`` that sees
    ``own_cooperatives``: the ids and slugs from inside the cooperatives are foreign."""
    alfa_members, alfa_requests = _people(alfa, "Alfa")
    beta_members, beta_requests = _people(beta, "Beta")
    with schema_context("public"):
        memberships = list(Membership.objects.values_list("pk", "network_id"))
    own_ints = (
        {c.pk for c in own_cooperatives}
        | {own_network.pk}
        | {pk for pk, network_id in memberships if network_id == own_network.pk}
        | _own_accounts(own_network)
    )
    inside = {m.pk for m in alfa_members + beta_members} | {
        r.pk for r in alfa_requests + beta_requests
    }
    others = (
        {alfa.cooperative.pk, beta.cooperative.pk}
        | {n.pk for n in networks}
        | {pk for pk, _network in memberships}
    )
    ints = [Value(str(i), i not in own_ints) for i in sorted(inside | others | own_ints)]
    own_slugs = {c.slug for c in own_cooperatives}
    slugs = [
        Value(slug, slug not in own_slugs)
        for slug in sorted(
            own_slugs
            | {"alfa", "beta"}
            | {n.slug for n in networks}
            # A member's email as a path argument: it must never find anything.
            | {alfa_members[0].email.split("@")[0].replace(".", "-")}
        )
    ]
    return World(
        personal=sorted(set(_personal(alfa) + _personal(beta))),
        ints=ints,
        slugs=slugs,
        networks=[Value(n.slug, n.pk != own_network.pk) for n in networks],
    )


def _candidates(world: World, converter: str | None, name: str) -> list[Value]:
    if name == "network":
        return world.networks
    if converter == "int":
        return world.ints
    if converter == "uuid":
        return [Value(str(uuid.UUID(int=7)), True)]
    return world.slugs + [v for v in world.ints if v.foreign]


def _urls(route: str, world: World) -> list[tuple[str, bool]]:
    """The route filled in every way (up to MOST), each with whether any value is foreign."""
    arguments = [
        (m.group(0), m.group("converter"), m.group("name")) for m in ARGUMENT.finditer(route)
    ]
    choices = [_candidates(world, converter, name) for _whole, converter, name in arguments]
    combinations = list(itertools.product(*choices))
    if len(combinations) > MOST:
        # An even spread over all combinations, so every network and every kind of id is
        # tried (the first MOST of the product would try the first network only).
        step = len(combinations) / MOST
        combinations = [combinations[int(i * step)] for i in range(MOST)]
    filled = []
    for values in combinations:
        url = route
        for (whole, _converter, _name), value in zip(arguments, values, strict=True):
            url = url.replace(whole, value.text, 1)
        filled.append(("/" + url, any(v.foreign for v in values)))
    return filled


def _leaks(content: bytes, personal: list[str]) -> list[str]:
    text = html.unescape(content.decode("utf-8", errors="replace"))
    return [p for p in personal if p in text]


def _replay(client, world: World, forbidden_names: list[str]) -> dict[str, int]:
    """Ask every network route in every way; return the status of each URL asked."""
    statuses: dict[str, int] = {}
    failures: list[str] = []
    for route, _pattern in network_routes():
        for url, foreign in _urls(route, world):
            # Logging out (a POST) would end the replay's session: only a GET here.
            answers = [("GET", client.get(url))]
            if foreign and answers[0][1].status_code == 405:
                answers.append(("POST", client.post(url, {})))
            for method, response in answers:
                statuses[f"{method} {url}"] = response.status_code
                leaked = _leaks(response.content, world.personal + forbidden_names)
                if leaked:
                    failures.append(f"{method} {url} shows {leaked}")
                if response.status_code >= 500:
                    failures.append(f"{method} {url} failed: {response.status_code}")
            final = answers[-1][1].status_code
            # A route without a network (an account's set-password link: a user id and a
            # token) reads no network's data: it may answer "this link is not valid" with a
            # page; only what it shows is checked.
            if foreign and "<slug:network>" in route and final not in (403, 404, 405):
                failures.append(f"{url} with a foreign argument answered {final}")
    assert not failures, "\n".join(failures)
    return statuses


def _figures(alfa, beta) -> None:
    # Dimensions are cluster names and member kinds, as the nightly run writes them.
    for coop in (alfa, beta):
        figures_make(coop.cooperative, NOVEMBER)
        figures_make(coop.cooperative, OCTOBER, {("help", "services", "Vervoer"): Decimal(8)})


def test_no_network_route_shows_anything_personal_or_answers_for_foreign_ids(alfa, beta, networks):
    # SAMEN030 holds alfa (shared upwards with 500WIJK); beta is in Rijnmond only, and alfa
    # shares only its help figures with Rijnmond.
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.rijnmond, beta.cooperative)
    membership_make(networks.rijnmond, alfa.cooperative, groups=("help",))
    _figures(alfa, beta)
    routes = [route for route, _p in network_routes()]
    assert "netwerk/<slug:network>/" in routes
    assert "netwerk/<slug:network>/cooperaties/<slug:slug>/" in routes
    assert "api/v1/networks/<slug:network>/figures/" in routes
    all_networks = [networks.wijk500, networks.samen030, networks.rijnmond]

    samen = network_client(network_user(networks.samen030, "manager"))
    world = _world(alfa, beta, all_networks, networks.samen030, [alfa.cooperative])
    assert len(world.personal) > 20
    # The check itself finds a name, an address and a request's text where they are.
    assert len(_leaks(" · ".join(world.personal).encode(), world.personal)) == len(world.personal)
    statuses = _replay(samen, world, forbidden_names=[beta.cooperative.name])
    # The replay read real pages, not a login page.
    assert statuses["GET /netwerk/samen030/"] == 200
    assert samen.get("/netwerk/samen030/cooperaties/alfa/").status_code == 200
    assert samen.get("/netwerk/samen030/cooperaties/beta/").status_code == 404
    assert samen.get("/netwerk/rijnmond/").status_code == 404
    assert "Wijkcoöperatie Alfa" in samen.get("/netwerk/samen030/").content.decode()

    # 500WIJK sees alfa through SAMEN030, and beta not at all.
    national = network_client(network_user(networks.wijk500, "analyst"))
    world = _world_again(world, all_networks, networks.wijk500, [alfa.cooperative])
    statuses = _replay(national, world, forbidden_names=[beta.cooperative.name])
    assert national.get("/netwerk/500wijk/cooperaties/alfa/").status_code == 200
    assert national.get("/netwerk/samen030/").status_code == 404

    # Rijnmond sees both, and still no member.
    rijnmond = network_client(network_user(networks.rijnmond, "analyst"))
    world = _world_again(
        world, all_networks, networks.rijnmond, [alfa.cooperative, beta.cooperative]
    )
    statuses = _replay(rijnmond, world, forbidden_names=[])
    assert rijnmond.get("/netwerk/rijnmond/cooperaties/beta/").status_code == 200


def _world_again(world: World, networks, own_network, own_cooperatives) -> World:
    """The same people and ids, seen from another network."""
    own_slugs = {c.slug for c in own_cooperatives}
    with schema_context("public"):
        own_memberships = set(
            Membership.objects.filter(network=own_network).values_list("pk", flat=True)
        )
    own_ints = (
        {c.pk for c in own_cooperatives}
        | {own_network.pk}
        | own_memberships
        | _own_accounts(own_network)
    )
    return World(
        personal=world.personal,
        ints=[Value(v.text, int(v.text) not in own_ints) for v in world.ints],
        slugs=[Value(v.text, v.text not in own_slugs) for v in world.slugs],
        networks=[Value(n.slug, n.pk != own_network.pk) for n in networks],
    )


def test_a_samen030_user_never_meets_a_rijnmond_only_cooperative(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.rijnmond, beta.cooperative)
    _figures(alfa, beta)
    samen = network_client(network_user(networks.samen030, "manager"))
    name = beta.cooperative.name
    for url in (
        "/netwerk/",
        "/netwerk/samen030/",
        "/netwerk/samen030/?maand=2026-10",
        "/netwerk/samen030/cijfers.csv",
        "/netwerk/samen030/cooperaties/alfa/",
        "/netwerk/samen030/cooperaties/beta/",
        "/api/v1/networks/samen030/cooperatives/",
        "/api/v1/networks/samen030/figures/",
        "/api/v1/networks/samen030/figures/?cooperative=beta",
        "/api/v1/networks/rijnmond/cooperatives/",
    ):
        response = samen.get(url, follow=True)
        assert name not in html.unescape(response.content.decode("utf-8-sig")), url
    csv = samen.get("/netwerk/samen030/cijfers.csv").content.decode("utf-8-sig")
    assert ";beta;" not in csv and ";alfa;" in csv
    assert len(FIGURE_CELLS) == csv.count(";alfa;")
