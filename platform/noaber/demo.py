"""Demo cooperatives for a developer's machine: `oost` (Oost voor Elkaar, Utrecht, free
services and klussen) and `wij` (WIJ-coöperatie, points), with buurten, members in every role
and an ordinary member without one, partners, a pending application and an open invitation.
Every demo login finds something to do on its home page ("Wat vraagt uw aandacht"): hours to
register, hours to confirm, feedback to give, a request without a volunteer, an application to
decide. Safe to run again: it only adds what is missing.

Seeding mails nobody: the mails the real services send on the way (to example.nl addresses)
stay in memory, so the console shows the short block of logins and not pages of demo mail.

The buurten of `oost` are the 15 of seed 002; their postcodes and streets are examples for the
demo, not an official mapping.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection as default_connection
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.annual_report import demo as annual_report_demo
from cooperatives.decisions import demo as decisions_demo
from cooperatives.governance import selectors as governance
from cooperatives.governance.services import seat_assign
from cooperatives.joining import services as joining
from cooperatives.joining.models import Application
from cooperatives.meetings.demo import meetings_seed
from cooperatives.members.models import (
    PRIVACY_STATEMENT_VERSION,
    SEAT_ROLES,
    Member,
    Role,
    RoleAssignment,
)
from cooperatives.proposals.demo import proposals_demo_seed
from cooperatives.setup import selectors as setup_selectors
from cooperatives.setup import services as setup
from cooperatives.setup.models import Neighbourhood, Partner
from cooperatives.surveys.demo import surveys_demo_seed
from shared.accounts.models import User
from tenants.models import Cooperative, Network
from tenants.services import cooperative_sign_up

# django-tenants' connection wrapper switches schemas; Django's stubs know only the base one.
connection: Any = default_connection

DEMO_PASSWORD = "Noaber-demo-2026"  # noqa: S105 - demo data on a developer's machine only

OOST_BUURTEN = [
    # (buurt, buurtnetwerk, 4-digit postcode area, example streets)
    ("Buiten Wittevrouwen", "Wittevrouwen Samen", "3572", ["Wittevrouwenkade"]),
    ("Tolsteegsingel", "Singel Buren", "3582", ["Tolsteegsingel"]),
    ("Sterrenwijk", "Sterrenwijk Helpt", "3583", ["Sterrenlaan"]),
    ("Watervogelbuurt", "Watervogels", "3584", ["Reigerstraat"]),
    ("Lodewijk Napoleonplantsoen", "Plantsoen Netwerk", "3585", ["Lodewijk Napoleonplantsoen"]),
    ("Rubenslaan", "Rubens Rond", "3586", ["Rubenslaan"]),
    ("Schildersbuurt", "Schilders voor Elkaar", "3587", ["Rembrandtkade"]),
    ("Abstede", "Abstede Actief", "3588", ["Abstederdijk"]),
    ("Oudwijk", "Oudwijk Dichtbij", "3581", ["Oudwijkerdwarsstraat"]),
    ("Wilhelminapark", "Parkburen", "3589", ["Wilhelminapark"]),
    ("De Uithof", "Uithof Verbindt", "3590", ["Heidelberglaan"]),
    ("Rijnsweerd-Zuid", "Rijnsweerd Zuid", "3591", ["Waterlinieweg"]),
    ("Rijnsweerd-Noord", "Rijnsweerd Noord", "3592", ["Archimedeslaan"]),
    ("Galgenwaard", "Galgenwaard Samen", "3593", ["Herculesplein"]),
    ("Maarschalkerweerd", "Maarschalkers", "3594", ["Maarschalkerweerdweg"]),
]

# (name, email, buurt or None, roles, street, house number, postcode, uses internet)
OOST_MEMBERS = [
    (
        "Henk de Bruijn",
        "henk@oost.example.nl",
        "Oudwijk",
        [Role.COORDINATOR],
        "Oudwijkerdwarsstraat",
        "12",
        "3581LA",
        True,
    ),
    (
        "Fatma Yilmaz",
        "fatma@oost.example.nl",
        "Sterrenwijk",
        [Role.NEIGHBOURHOOD_ASSISTANT],
        "Sterrenlaan",
        "4",
        "3583AB",
        True,
    ),
    (
        "Joop van Dijk",
        "joop@oost.example.nl",
        "Abstede",
        [Role.VOLUNTEER],
        "Abstederdijk",
        "101",
        "3588CD",
        True,
    ),
    (
        "Marian Kok",
        "marian@oost.example.nl",
        "Oudwijk",
        [Role.BOARD_TREASURER],
        "Oudwijkerdwarsstraat",
        "30",
        "3581LB",
        True,
    ),
    (
        "Kees Vos",
        "kees@oost.example.nl",
        "Wilhelminapark",
        [Role.AUDIT_COMMITTEE],
        "Wilhelminapark",
        "8",
        "3589EF",
        True,
    ),
    ("Tineke Smit", "", "Sterrenwijk", [], "Sterrenlaan", "19", "3583AC", False),
    # An ordinary member without a role, who asks for help.
    (
        "Ans Peters",
        "ans@oost.example.nl",
        "Oudwijk",
        [],
        "Oudwijkerdwarsstraat",
        "7",
        "3581LC",
        True,
    ),
]
WIJ_MEMBERS = [
    (
        "Ria Verbeek",
        "ria@wij.example.nl",
        None,
        [Role.COORDINATOR],
        "Drevenlaan",
        "3",
        "3131AA",
        True,
    ),
    (
        "Mohamed Amrani",
        "mohamed@wij.example.nl",
        None,
        [Role.VOLUNTEER],
        "Drevenlaan",
        "17",
        "3131AB",
        True,
    ),
    ("Stichting Op Dreef", "opdreef@wij.example.nl", None, [], "Dreef", "1", "3131AC", True),
    (
        "Gerda Bakker",
        "gerda@wij.example.nl",
        None,
        [Role.BOARD_SECRETARY],
        "Drevenlaan",
        "44",
        "3131AD",
        True,
    ),
    # An ordinary member without a role, who asks for help.
    ("Wim de Vries", "wim@wij.example.nl", None, [], "Drevenlaan", "25", "3131AF", True),
]

DEMO_COOPERATIVES: list[dict[str, Any]] = [
    {
        "slug": "oost",
        "name": "Wijkcoöperatie Oost voor Elkaar",
        "template": "oost",
        "board": ("Els Jansen", "bestuur@oost.example.nl"),
        # Found from the apex by name, place or postcode; replies to its emails go to info@.
        "details": {
            "place": "Utrecht",
            "postcode_areas": sorted(area for _b, _n, area, _s in OOST_BUURTEN),
            "contact_email": "info@oost.example.nl",
        },
        "buurten": OOST_BUURTEN,
        "members": OOST_MEMBERS,
        "partners": [
            (
                "Buurtbedrijf Oost",
                Partner.Kind.SOCIAL_ENTERPRISE,
                "Grote klussen, schilderwerk, tuinonderhoud",
                Decimal("12.50"),
            ),
            (
                "Podium Oost",
                Partner.Kind.NEIGHBOURHOOD_PARTNER,
                "Bewonersinitiatieven en activiteiten",
                None,
            ),
        ],
        "application": ("Sanne Visser", "sanne@oost.example.nl", "Reigerstraat", "2", "3584GH"),
    },
    {
        "slug": "wij",
        "name": "WIJ-coöperatie Drevenbuurt",
        "template": "wij",
        "board": ("Fred Meerhof", "bestuur@wij.example.nl"),
        "details": {
            "place": "Vlaardingen",
            "postcode_areas": ["3131"],
            "contact_email": "info@wij.example.nl",
        },
        "buurten": [("Drevenbuurt", "Op Dreef", "3131", ["Drevenlaan", "Dreef"])],
        "members": WIJ_MEMBERS,
        "partners": [
            (
                "Zorgcentrum De Dreef",
                Partner.Kind.NEIGHBOURHOOD_PARTNER,
                "Dagbesteding en maaltijden",
                None,
            )
        ],
        "application": ("Jan Groen", "jan@wij.example.nl", "Drevenlaan", "60", "3131AE"),
    },
]
NETWORK_ADMIN = ("Netwerkbeheer SAMEN030", "beheer@samen030.example.nl")
# 500WIJK's administrator sees SAMEN030's cooperatives that share upwards, and its own.
NATIONAL_ADMIN = ("Netwerkbeheer 500WIJK", "beheer@500wijk.example.nl")

# What waits on the demo logins' home pages, each chain made through the real marketplace
# services and known by its request's title (so a second run adds only what is missing):
# (title, cluster, requester, volunteer, hours, how far it goes), where how far is
# "answered" (a volunteer said "ik help"; the requester chooses), "passed" (planned, and the
# appointment was yesterday: the volunteer registers the hours), "registered" (the requester
# confirms the hours) or "confirmed" (the requester gives feedback; in WIJ also approves the
# points). The order matters in Oost: one open request at a time per member.
DEMO_TASKS: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "oost": [
        (
            "Wandeling in het Wilhelminapark",
            "Wandelen",
            "Kees Vos",
            "Joop van Dijk",
            "1",
            "passed",
        ),
        (
            "Even langskomen voor een praatje",
            "Thuisbezoek en praatje",
            "Ans Peters",
            "Joop van Dijk",
            "1",
            "confirmed",
        ),
        (
            "Grofvuil naar de straat brengen",
            "Afval wegbrengen",
            "Ans Peters",
            "Joop van Dijk",
            "0,5",
            "registered",
        ),
    ],
    "wij": [
        (
            "Samen naar de markt",
            "Zorg en aandacht voor elkaar",
            "Wim de Vries",
            "Mohamed Amrani",
            "1",
            "passed",
        ),
        (
            "Formulieren van de gemeente invullen",
            "Administratie",
            "Wim de Vries",
            "Mohamed Amrani",
            "1",
            "confirmed",
        ),
        (
            "Gordijnen ophangen",
            "Beheer en onderhoud van woning en woonomgeving",
            "Wim de Vries",
            "Mohamed Amrani",
            "1",
            "registered",
        ),
        (
            "Vrijwilliger voor de koffieochtend",
            "Zorg en aandacht voor elkaar",
            "Stichting Op Dreef",
            "Mohamed Amrani",
            "2",
            "answered",
        ),
    ],
}

# The confirmed klussen of `oost` that wait to be settled: Marian's (she is the treasurer too)
# to pay online, Kees's to pay in cash. Both were done by Joop at EUR 4,50 an hour.
# (title, cluster, requester, volunteer, hours)
OOST_KLUSSEN = [
    ("Lekkende kraan in de keuken", "Reparaties", "Marian Kok", "Joop van Dijk", "1,5"),
    ("Heg snoeien in de voortuin", "Tuin", "Kees Vos", "Joop van Dijk", "2"),
]


def _seed_details(cooperative: Cooperative, details: dict[str, Any]) -> None:
    """Place, postcode areas and contact address, where the demo's board has not set them."""
    missing = [field for field, value in details.items() if not getattr(cooperative, field)]
    for field in missing:
        setattr(cooperative, field, details[field])
    if missing:
        cooperative.save(update_fields=missing)


def _agreed(board: Member, partner: str, rate: Any) -> Any:
    """A social rate is an agreement: it takes effect with a decision of the board."""
    return (
        decisions_demo.demo_agreement_decision(actor=board, partner_name=partner) if rate else None
    )


def _give_roles(*, member: Member, roles: list[str], board: Member) -> None:
    for role in roles:
        if role in SEAT_ROLES:
            # Board and kascommissie roles are seats, here since the start of the year.
            kind, position = governance.seat_for_role(role=role) or ("", "")
            seat_assign(
                actor=board,
                body=governance.body_standing(kind),
                member=member,
                position=position,
                start=dt.date(timezone.localdate().year, 1, 1),
            )
        else:
            RoleAssignment.objects.create(member=member, role=role, assigned_by_id=board.pk)


def _seed_cooperative(spec: dict) -> Cooperative:
    cooperative = Cooperative.objects.filter(slug=spec["slug"]).first()
    if cooperative is None:
        board_name, board_email = spec["board"]
        cooperative = cooperative_sign_up(
            name=spec["name"],
            slug=spec["slug"],
            board_member_name=board_name,
            email=board_email,
            password=DEMO_PASSWORD,
            template=spec["template"],
            place=spec["details"]["place"],
        ).cooperative
    _seed_details(cooperative, spec["details"])
    with schema_context(cooperative.schema_name):
        board = Member.objects.get(email=spec["board"][1])
        for name, network, area, streets in spec["buurten"]:
            if not Neighbourhood.objects.filter(name=name).exists():
                setup.neighbourhood_create(
                    actor=board,
                    name=name,
                    network_name=network,
                    contact=f"buurt@{spec['slug']}.example.nl",
                    postcodes=[area],
                    streets=streets,
                )
        for name, email, _buurt, roles, street, number, postcode, online in spec["members"]:
            if Member.objects.filter(name=name).exists():
                continue
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name) if email else None
            member = Member.objects.create(
                user=user,
                name=name,
                email=email,
                street=street,
                house_number=number,
                postcode=postcode,
                uses_internet=online,
                neighbourhood=setup_selectors.neighbourhood_for_address(
                    postcode=postcode, street=street
                ),
                kind=Member.Kind.ORGANISATION
                if name.startswith("Stichting")
                else Member.Kind.RESIDENT,
                privacy_version=PRIVACY_STATEMENT_VERSION,
                consent_on_behalf=not online,
                registered_by=None if online else board,
            )
            _give_roles(member=member, roles=roles, board=board)
            if Role.NEIGHBOURHOOD_ASSISTANT in roles and member.neighbourhood:
                member.assisted_neighbourhoods.add(member.neighbourhood)
        for number, (name, kind, services, rate) in enumerate(spec["partners"], start=1):
            if not Partner.objects.filter(name=name).exists():
                # How to reach them: a large klus is referred to them with these details.
                setup.partner_save(
                    actor=board,
                    name=name,
                    kind=kind,
                    services=services,
                    contact_name="Contactpersoon",
                    phone=f"030 200 00 {number:02d}",
                    email=f"info@{name.lower().replace(' ', '')}.example.nl",
                    social_rate=rate,
                    decision=_agreed(board, name, rate),
                )
        decisions_demo.demo_seed(slug=spec["slug"], actor=board)
        _seed_marketplace(spec, board)
        if spec["slug"] == "oost":
            _seed_paid_klussen()
            annual_report_demo.seed(board=board)
            meetings_seed()
        _seed_tasks(spec["slug"])
        surveys_demo_seed(slug=spec["slug"], board=board)
        proposals_demo_seed(slug=spec["slug"], board=board)
        name, email, street, number, postcode = spec["application"]
        if not Application.objects.filter(email=email).exists():
            joining.application_submit(
                name=name,
                email=email,
                password=DEMO_PASSWORD,
                accept_privacy=True,
                accept_disclaimer=True,
                street=street,
                house_number=number,
                postcode=postcode,
                message="Ik wil graag helpen met boodschappen.",
            )
    connection.set_schema_to_public()
    return cooperative


# Buurten of Oost that border each other (an example for matching, not a survey).
OOST_ADJACENT = [
    ("Oudwijk", "Buiten Wittevrouwen"),
    ("Oudwijk", "Wilhelminapark"),
    ("Sterrenwijk", "Tolsteegsingel"),
    ("Abstede", "Oudwijk"),
    ("Schildersbuurt", "Rubenslaan"),
    ("Galgenwaard", "Maarschalkerweerd"),
]


def _seed_marketplace(spec: dict, board: Member) -> None:
    """Requests, offers and services in every state, made through the real services."""
    import datetime as dt

    from django.utils import timezone

    from cooperatives.marketplace import services as market
    from cooperatives.marketplace.models import HelpRequest
    from cooperatives.setup.models import Cluster

    if HelpRequest.objects.exists():
        return
    for a, b in OOST_ADJACENT if spec["slug"] == "oost" else []:
        first, second = Neighbourhood.objects.filter(name__in=[a, b]).order_by("name")
        first.adjacent.add(second)
    members = {
        m.name: m for m in Member.objects.prefetch_related("role_assignments", "seats__body")
    }
    clusters = {c.name: c for c in Cluster.objects.all()}
    today = timezone.localdate()
    if spec["slug"] == "oost":
        helper, coordinator = members["Joop van Dijk"], members["Henk de Bruijn"]
        helper.help_clusters.set([clusters["Reparaties"], clusters["Boodschappen"]])
        helper.availability = ["di-middag", "do-ochtend", "za-ochtend"]
        helper.save(update_fields=["availability"])
        market.offer_create(
            actor=helper,
            cluster=clusters["Reparaties"],
            description="Kleine reparaties in huis: kraan, lamp, deurklink.",
        )
        # Tineke has no internet: the coordinator asks for her.
        market.request_create(
            actor=coordinator,
            requester=members["Tineke Smit"],
            cluster=clusters["Boodschappen"],
            title="Boodschappen op donderdag",
            expected_hours="1",
            preferred_dates=[today + dt.timedelta(days=3)],
            preferred_parts=["ochtend"],
        )
        repair = market.request_create(
            actor=members["Marian Kok"],
            requester=members["Marian Kok"],
            cluster=clusters["Reparaties"],
            title="Lekkende kraan in de keuken",
            expected_hours="1,5",
            network_checked=True,
        )
        answer = market.response_create(volunteer=helper, request=repair, message="Ik kom graag.")
        service = market.response_accept(
            actor=members["Marian Kok"], response=answer, date=today, start_time=dt.time(14, 0)
        )
        market.service_register_hours(actor=helper, service=service, hours="1,5")
        market.service_confirm(actor=members["Marian Kok"], service=service)
        market.service_feedback(
            actor=members["Marian Kok"],
            service=service,
            rating=5,
            comment="Snel en vriendelijk geholpen.",
        )
    else:
        helper = members["Mohamed Amrani"]
        helper.help_clusters.set([clusters["(Auto)vervoer"]])
        market.offer_create(
            actor=helper,
            cluster=clusters["(Auto)vervoer"],
            description="Rijden naar het ziekenhuis of de huisarts.",
        )
        ride = market.request_create(
            actor=members["Gerda Bakker"],
            requester=members["Gerda Bakker"],
            cluster=clusters["(Auto)vervoer"],
            title="Lift naar het ziekenhuis",
            expected_hours="2",
        )
        # Everyone starts with the starter points of the WIJ rules.
        from cooperatives.points.services import starter_points_grant

        for member in members.values():
            starter_points_grant(member=member)
        answer = market.response_create(volunteer=helper, request=ride)
        service = market.response_accept(
            actor=members["Gerda Bakker"], response=answer, date=today, start_time=dt.time(9, 30)
        )
        market.service_register_hours(actor=helper, service=service, hours="2")
        # Under the WIJ rules Gerda approves the quality before the points are booked: the
        # payment now waits on her points page.
        market.service_confirm(actor=members["Gerda Bakker"], service=service)


def _seed_paid_klussen() -> None:
    """Each klus of OOST_KLUSSEN asked, planned, done and confirmed through the real
    marketplace services, so confirming records the euro compensation that billing settles.
    A klus already there (by title) is left alone; the first one also comes from
    _seed_marketplace on a fresh database."""
    import datetime as dt

    from django.utils import timezone

    from cooperatives.marketplace import services as market
    from cooperatives.marketplace.models import HelpRequest
    from cooperatives.setup.models import Cluster

    today = timezone.localdate()
    for title, cluster, requester_name, volunteer_name, hours in OOST_KLUSSEN:
        if HelpRequest.objects.filter(title=title).exists():
            continue
        requester = Member.objects.get(name=requester_name)
        volunteer = Member.objects.get(name=volunteer_name)
        request = market.request_create(
            actor=requester,
            requester=requester,
            cluster=Cluster.objects.get(name=cluster),
            title=title,
            expected_hours=hours,
            network_checked=True,
        )
        answer = market.response_create(volunteer=volunteer, request=request, message="Ik kom.")
        service = market.response_accept(
            actor=requester, response=answer, date=today, start_time=dt.time(10, 0)
        )
        market.service_register_hours(actor=volunteer, service=service, hours=hours)
        market.service_confirm(actor=requester, service=service)


def _seed_tasks(slug: str) -> None:
    """Each chain of DEMO_TASKS[slug] not there yet, through the real services."""
    import datetime as dt

    from django.utils import timezone

    from cooperatives.marketplace import services as market
    from cooperatives.marketplace.models import HelpRequest, Service
    from cooperatives.points.services import starter_points_grant
    from cooperatives.setup.models import Cluster

    today = timezone.localdate()
    for title, cluster, requester_name, volunteer_name, hours, stage in DEMO_TASKS[slug]:
        if HelpRequest.objects.filter(title=title).exists():
            continue
        requester = Member.objects.get(name=requester_name)
        volunteer = Member.objects.get(name=volunteer_name)
        if slug == "wij":
            starter_points_grant(member=requester)  # once per member; the WIJ rules give 10
        request = market.request_create(
            actor=requester,
            requester=requester,
            cluster=Cluster.objects.get(name=cluster),
            title=title,
            expected_hours=hours,
            network_checked=True,
        )
        answer = market.response_create(volunteer=volunteer, request=request)
        if stage == "answered":
            continue
        service = market.response_accept(
            actor=requester, response=answer, date=today, start_time=dt.time(10, 0)
        )
        if stage == "passed":
            # As if the appointment was yesterday (the services plan nothing in the past).
            Service.objects.filter(pk=service.pk).update(date=today - dt.timedelta(days=1))
            continue
        market.service_register_hours(actor=volunteer, service=service, hours=hours)
        if stage == "confirmed":
            market.service_confirm(actor=requester, service=service)


def _waiting_for(member: Member) -> str:
    """What the member finds on their home page, as the links there name it."""
    from shared.navigation import Context, attention_for

    labels = [task.link_label for task in attention_for(Context(None, member))]
    return ", ".join(dict.fromkeys(labels)) or "niets"


# The demo board's phones (and those of every demo login whose role needs the second factor:
# kascommissie, administrator): one FIXED authenticator key, printed with the logins, so a
# tester adds it to an app once and logs in as any of them. Demo data only.
BOARD_TOTP_KEY = "4e6f616265722d626f6172642d323032362d6b6579"  # hex of "Noaber-board-2026-key"


def _seed_board_phones(cooperative: Cooperative) -> None:
    """A phone with ``BOARD_TOTP_KEY`` for each member whose role needs the second factor and
    who has none yet (a phone set up through the pages is kept)."""
    from cooperatives.members.selectors import member_for_user
    from shared.accounts import two_factor
    from shared.permissions import needs_two_factor

    with schema_context(cooperative.schema_name):
        for user in User.objects.filter(is_active=True):
            member = member_for_user(user)
            if needs_two_factor(member) and two_factor.totp_device_of(user) is None:
                two_factor.demo_totp_device(user=user, key_hex=BOARD_TOTP_KEY)
    connection.set_schema_to_public()


def board_totp_key_groups() -> str:
    """The board's demo key as an app asks for it (base32, in groups of four)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shared.accounts import two_factor

    return " ".join(two_factor.key_groups(TOTPDevice(key=BOARD_TOTP_KEY)))


def _login_lines(cooperative: Cooperative, spec: dict) -> list[str]:
    """One line per demo login of ``cooperative``: role, email, what waits on the home page."""
    from cooperatives.members.selectors import member_for_user, role_labels

    emails = [spec["board"][1]] + [email for _n, email, *_rest in spec["members"] if email]
    rows = []
    with schema_context(cooperative.schema_name):
        for email in emails:
            user = User.objects.filter(email=email).first()
            member = member_for_user(user) if user else None
            if member is None:
                continue
            roles = role_labels(roles=sorted(member.current_roles()))
            rows.append((", ".join(roles) or "lid zonder rol", email, _waiting_for(member)))
    connection.set_schema_to_public()
    width = max(len(role) for role, _e, _w in rows)
    mail_width = max(len(email) for _r, email, _w in rows)
    return [
        f"    {role:<{width}}  {email:<{mail_width}}  wacht: {waiting}"
        for role, email, waiting in rows
    ]


# The two networks from the design: the city's and, above it, the national programme
# (noaber.demo_networks seeds them with their members, places and documents).
DEMO_NETWORKS = (("samen030", "SAMEN030"), ("500wijk", "500WIJKCOÖPERATIES"))


def _seed_networks() -> list[str]:
    """SAMEN030 under 500WIJK, their member cooperatives, places and documents
    (``noaber.demo_networks``)."""
    from noaber.demo_networks import networks_demo_seed

    return networks_demo_seed(password=DEMO_PASSWORD)


# The demo network administrator's phone: a FIXED authenticator key (base32 below, printed with
# the logins) and fixed recovery codes, so a tester can add the key to an app. Demo data only.
NETWORK_ADMIN_TOTP_KEY = "4e6f616265722d64656d6f2d323032362d6b6579"  # hex of "Noaber-demo-2026-key"
NETWORK_ADMIN_RECOVERY_CODES = tuple(f"demo-cod{letter}" for letter in "abcdefghij")


def _seed_network_admin(user: User, networks: tuple[str, ...]) -> list[str]:
    """Manager of the given demo networks, with the fixed phone and recovery codes when it has none
    (a phone set up through the pages is kept); the lines to print about it."""
    from django_otp.plugins.otp_static.models import StaticToken

    from shared.accounts import two_factor
    from tenants.networks.models import NetworkRole

    for network in Network.objects.filter(slug__in=networks):
        NetworkRole.objects.get_or_create(
            user=user, network=network, defaults={"role": NetworkRole.Role.MANAGER}
        )
    if two_factor.totp_device_of(user) is None:
        two_factor.demo_totp_device(user=user, key_hex=NETWORK_ADMIN_TOTP_KEY)
    if not StaticToken.objects.filter(device__user=user).exists():
        two_factor.demo_recovery_codes(user=user, codes=list(NETWORK_ADMIN_RECOVERY_CODES))
    device = two_factor.totp_device_of(user)
    key = " ".join(two_factor.key_groups(device)) if device else "?"
    return [
        f"    tweestapscode: sleutel {key} (voeg toe in een authenticator-app)",
        f"    herstelcodes: {', '.join(NETWORK_ADMIN_RECOVERY_CODES)}",
    ]


def demo_seed() -> list[str]:
    """Create what is missing, mailing nobody; return the block of logins for the console:
    per cooperative its address and each login with what waits on its home page."""
    from django.conf import settings
    from django.core import mail
    from django.test.utils import override_settings
    from django.urls import reverse

    from shared.tenancy.urls import cooperative_url

    outbox = list(getattr(mail, "outbox", []))
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        seeded = [(_seed_cooperative(spec), spec) for spec in DEMO_COOPERATIVES]
        for cooperative, _spec in seeded:
            _seed_board_phones(cooperative)
        networks = _seed_networks()
        admin_lines = []
        for (name, email), managed in (
            (NETWORK_ADMIN, ("samen030",)),
            (NATIONAL_ADMIN, ("500wijk",)),
        ):
            admin = User.objects.filter(email=email).first() or User.objects.create_user(
                email, DEMO_PASSWORD, full_name=name
            )
            admin_lines.append(f"  Netwerkbeheer {', '.join(managed)}: {email}")
            admin_lines += _seed_network_admin(admin, managed)
    mail.outbox = outbox  # what the seeding "sent" is dropped, whatever was there stays
    lines = [
        f"Demo-inloggen (wachtwoord van allemaal: {DEMO_PASSWORD})",
        f"  Bestuur, kascommissie en beheer: tweestapscode, sleutel {board_totp_key_groups()}"
        " (voeg toe in een authenticator-app)",
    ]
    for cooperative, spec in seeded:
        lines.append(f"  {cooperative.name}: {cooperative_url(slug=cooperative.slug)}")
        lines += _login_lines(cooperative, spec)
    port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
    admin_login = reverse("login", urlconf="noaber.urls_public")
    apex = f"{settings.PLATFORM_SCHEME}://{settings.PLATFORM_DOMAIN}{port}"
    lines.append(f"  Netwerkbeheer, inloggen op {apex}{admin_login}")
    lines += admin_lines
    lines += [f"  {line}" for line in networks]
    return lines
