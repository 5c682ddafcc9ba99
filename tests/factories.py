"""Test data, in one place: factory_boy factories for the records tests make again and again,
and a few builders that put several of them together.

Every factory writes inside the schema of the cooperative the test names,
``MemberFactory(schema=alfa.schema, name="Piet Puk", roles=["coordinator"])``, and refuses
without one, so a test always says which cooperative it writes to. The factories of what a
member does (asking for help, a planned service, an application, an invitation, a rulebook
version) go through the real services, as the pages would; the others write their table
directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import factory
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import KlusPayment
from cooperatives.governance.models import Decision, Seat
from cooperatives.governance.selectors import (
    body_deciding,
    body_standing,
    members_on_board,
    seat_for_role,
)
from cooperatives.governance.services import decision_record
from cooperatives.joining import services as joining
from cooperatives.joining.models import Application, Invitation
from cooperatives.marketplace import services as marketplace
from cooperatives.marketplace.models import Compensation, CompensationDue, HelpRequest, Service
from cooperatives.members.models import SEAT_ROLES, Member, Role, RoleAssignment
from cooperatives.points import services as ledger
from cooperatives.points.models import Transfer
from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_latest, rulebook_values
from cooperatives.rules.services import rulebook_revise
from cooperatives.setup.models import Cluster, Neighbourhood, Partner
from cooperatives.setup.services import cluster_set_active, partner_save
from shared.accounts.models import User
from shared.audit.models import AuditEntry
from shared.audit.services import audit_record
from tenants.services import cooperative_sign_up
from tests.browser import drop_cooperative
from tests.state import board_member, cluster_named

# The password of the founding board members, the network administrator and every login a test
# gives a real password (with_password).
PASSWORD = "Zonnebloem-42!"
# A new cooperative, as the sign-up page and API take it.
SIGN_UP = {
    "name": "Buurtkracht Zuid",
    "slug": "zuid",
    "place": "Utrecht",
    "board_member_name": "Fatima el Amrani",
    "email": "fatima@zuid.example.nl",
    "password": PASSWORD,
    "template": "oost",
}
# The password of whoever joins (ApplicationFactory, and the join forms of the joining tests).
APPLICANT_PASSWORD = "Lindeboom-2026!"
# What a klus was for (KlusPaymentFactory): a care need, which a statement must never show.
KLUS_DESCRIPTION = "Hulp bij het aantrekken van steunkousen"

TODAY = timezone.localdate
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def amsterdam(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment in Dutch time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


class SchemaFactory(factory.django.DjangoModelFactory):
    """Makes its record, and everything the record needs, in the schema given as ``schema``."""

    class Meta:
        abstract = True

    class Params:
        schema = None

    @classmethod
    def _generate(cls, strategy, params):
        schema = params.get("schema")
        if not schema:
            raise TypeError(f"{cls.__name__} needs schema=<the cooperative's schema>")
        with schema_context(schema):
            return super()._generate(strategy, params)


def _letters(n: int) -> str:
    """0 → a, 25 → z, 26 → ba: a sequence number without digits."""
    out = ""
    while True:
        n, digit = divmod(n, 26)
        out = chr(ord("a") + digit) + out
        if n == 0:
            return out


def _cluster(cluster: Cluster | str) -> Cluster:
    return cluster if isinstance(cluster, Cluster) else Cluster.objects.get(name=cluster)


# --- the cooperative's set-up ------------------------------------------------------------------


class NeighbourhoodFactory(SchemaFactory):
    """A buurt with its postcodes (areas such as "3581", or whole ones such as "3581AB") and
    streets (stored in lower case, as the set-up service does)."""

    class Meta:
        model = Neighbourhood

    name = factory.Sequence(lambda n: f"Buurt {n}")
    postcodes: Iterable[str] = ()
    streets: Iterable[str] = ()

    @classmethod
    def _create(cls, model_class, *args, postcodes, streets, **kwargs):
        streets = [s.lower() for s in streets]
        return super()._create(
            model_class, *args, postcodes=list(postcodes), streets=streets, **kwargs
        )


class ClusterFactory(SchemaFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cluster {n}")


class PartnerFactory(SchemaFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")


class AuditEntryFactory(SchemaFactory):
    """An entry in the audit log, through the one function that writes it."""

    class Meta:
        model = AuditEntry

    actor_id = None
    action = "test.entry"
    target_type = "x"
    target_id = 1
    summary = "proef"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return audit_record(**kwargs)


def decided(
    subject: str = "rules", *, title: str = "Besluit (proef)", on: dt.date | None = None
) -> Decision:
    """An adopted decision (unanimous, today) of the body the statutes name for ``subject``
    ("rules", "agreements", "allowance", "network"), in the schema the test is in: what a
    rulebook version, a partner's social rate... takes effect through."""
    return decision_record(
        actor=None,
        body=body_deciding(subject=subject),
        decided_on=on or timezone.localdate(),
        title=title,
        text=title,
        outcome=Decision.Outcome.ADOPTED,
    )


def decision_id(coop, subject: str = "rules") -> int:
    """The id of a new adopted decision (``decided``) in ``coop``, for a form or API call."""
    with schema_context(coop.schema):
        return decided(subject).pk


class RulebookFactory(SchemaFactory):
    """The next version of the house rules through the real service: every keyword that is not
    one of the service's own (``actor``, ``effective_from``, ``decision``) is a change,
    ``RulebookFactory(schema=alfa.schema, feedback_days=3)``. Without ``decision`` the version
    is adopted by a new decision of the body that decides on the rules (``decided``)."""

    class Meta:
        model = Rulebook

    actor = None
    effective_from = None
    decision = None

    @classmethod
    def _create(cls, model_class, *args, actor, effective_from, decision, **changes):
        return rulebook_revise(
            actor=actor,
            changes=changes,
            effective_from=effective_from,
            decision=decision or decided(),
        )


def paid_rules(coop, *, rate: str, share: str = "0") -> str:
    """Klussen at ``rate`` an hour with ``share`` % for the cooperative (a new rulebook
    version from today), in its first cluster paid in euros (or, with none, its first cluster
    made so); returns the cluster's name."""
    with schema_context(coop.schema):
        mapping = dict(rulebook_values(rulebook=rulebook_latest())["cluster_compensation"])
        clusters = list(Cluster.objects.filter(is_active=True).order_by("pk"))
        cluster = next((c for c in clusters if mapping.get(str(c.pk)) == "euros"), clusters[0])
        mapping[str(cluster.pk)] = "euros"
    RulebookFactory(
        schema=coop.schema,
        euro_rate_per_hour=rate,
        share_euro_percent=share,
        cluster_compensation=mapping,
    )
    return cluster.name


# --- members ------------------------------------------------------------------------------------


class MemberFactory(SchemaFactory):
    """A member with a login (unless ``login=False``), their ``roles``, their buurt and the
    buurten they ``assists``. The login has no usable password, so nothing is hashed: tests log
    in with ``tests.clients.logged_in_client``, or give it a real one with ``with_password``.
    With ``points=10`` their account opens at 10 points (a correction by the founder)."""

    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"Lid {_letters(n).capitalize()}")
    # The sequence number in letters: digits in an address would match searches for a postcode
    # or a number ("3582" found lid3582@...) once the suite has made that many members.
    email = factory.LazyAttributeSequence(lambda o, n: f"lid.{_letters(n)}@{o.schema}.example.nl")
    neighbourhood = None
    login = True
    roles: Iterable[str] = ()
    assists: Iterable[Neighbourhood] = ()
    points: int | str | None = None

    @classmethod
    def _create(cls, model_class, *args, login, roles, assists, points, **kwargs):
        if login:
            user = User(email=kwargs["email"], full_name=kwargs["name"])
            user.set_unusable_password()
            user.save()
            kwargs["user"] = user
        member = super()._create(model_class, *args, **kwargs)
        for role in roles:
            if role in SEAT_ROLES:
                # Board and kascommissie roles are seats from today (written directly, so a
                # test may give two members the same position, as before seats).
                kind, position = seat_for_role(role=role)
                Seat.objects.create(
                    body=body_standing(kind),
                    member=member,
                    position=position,
                    start=TODAY(),
                )
            else:
                RoleAssignment.objects.create(member=member, role=role)
        if assists:
            member.assisted_neighbourhoods.set(list(assists))
        if points is not None:
            founder = members_on_board().order_by("pk").first()
            ledger.points_correct(
                actor=founder,
                account=ledger.account_open(member=member),
                amount=points,
                reason="Beginstand",
                key=f"start-{member.pk}",
            )
        return member


def with_password(schema: str, member: Member, password: str = PASSWORD) -> Member:
    """Give the member's login a real (Argon2) password, for tests of the login form."""
    with schema_context(schema):
        member.user.set_password(password)
        member.user.save()
    return member


def beta_only_member(alfa, beta, name: str) -> Member:
    """A member of beta whose id does not exist in alfa (ids are per schema, so they could
    otherwise coincide by chance)."""
    with schema_context(alfa.schema):
        highest = Member.objects.order_by("-pk").values_list("pk", flat=True).first()
    with schema_context(beta.schema), connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('cooperatives_member', 'id'), %s)",
            [highest + 1000],
        )
    member = MemberFactory(schema=beta.schema, name=name, phone="0209999999")
    with schema_context(alfa.schema):
        assert not Member.objects.filter(pk=member.pk).exists()
    return member


def beta_only(beta, alfa, model, make: Callable[[], Any]):
    """A record made in beta whose id alfa does not have (sequences are per schema, so the
    first ids of both cooperatives are the same numbers)."""
    while True:
        with schema_context(beta.schema):
            record = make()
        with schema_context(alfa.schema):
            if not model.objects.filter(pk=record.pk).exists():
                return record


def beyond(coop, other, model) -> None:
    """Sequences are per schema: move ``coop``'s id sequence for ``model`` past every id in
    ``other``, so the next record made in ``coop`` has an id that ``other`` does not have."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{other.schema}"."{table}"')
        top = cursor.fetchone()[0]
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(nextval("
            "pg_get_serial_sequence(%s, 'id')), %s))",
            [f'"{coop.schema}".{table}', f'"{coop.schema}".{table}', top + 1],
        )


# The people of the member pages and API: one per role in alfa, in this order.
CAST_ROLES = [
    "member",
    "volunteer",
    "assistant",
    "assistant_other",
    "coordinator",
    "board",
    "audit",
]
CAST_STORED = {
    "member": [],
    "volunteer": ["volunteer"],
    "assistant": ["neighbourhood_assistant"],
    "assistant_other": ["neighbourhood_assistant"],
    "coordinator": ["coordinator"],
    "board": ["board_treasurer"],
    "audit": ["audit_committee"],
}


def member_cast(alfa, beta) -> SimpleNamespace:
    """In alfa: two buurten, one person per role of CAST_ROLES (assistant assists Oudwijk,
    assistant_other Abstede), and Piet, a resident of Oudwijk with a login. In beta: a member
    of its own."""
    oudwijk = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    abstede = NeighbourhoodFactory(schema=alfa.schema, name="Abstede", postcodes=["3582"])
    people = {
        role: MemberFactory(
            schema=alfa.schema,
            name=f"{role} lid",
            roles=CAST_STORED[role],
            neighbourhood=abstede if role == "assistant_other" else oudwijk,
            assists={"assistant": [oudwijk], "assistant_other": [abstede]}.get(role, []),
        )
        for role in CAST_ROLES
    }
    piet = MemberFactory(
        schema=alfa.schema,
        name="Piet Puk",
        email="piet@alfa.example.nl",
        neighbourhood=oudwijk,
        street="Oudwijk",
        house_number="12",
        postcode="3581AB",
        phone="0301234567",
    )
    west = MemberFactory(
        schema=alfa.schema, name="Wim West", neighbourhood=abstede, postcode="3582CD"
    )
    bea = beta_only_member(alfa, beta, "Bea Beta")
    return SimpleNamespace(
        people=people, piet=piet, west=west, oudwijk=oudwijk, abstede=abstede, bea=bea
    )


def marketplace_people(coop) -> SimpleNamespace:
    """Two buurten (Oudwijk 3581, Lanen 3582) and one person per role; Rita asks for help,
    Vera and Victor volunteer (Vera in Rita's buurt), the assistant assists Oudwijk only."""
    oudwijk = NeighbourhoodFactory(schema=coop.schema, name="Oudwijk", postcodes=["3581"])
    lanen = NeighbourhoodFactory(schema=coop.schema, name="Lanen", postcodes=["3582"])

    def person(name, roles=(), hood=oudwijk, street="Kerkstraat", number="1", **extra):
        return MemberFactory(
            schema=coop.schema,
            name=name,
            roles=roles,
            neighbourhood=hood,
            street=street,
            house_number=number,
            postcode="3581AB" if hood == oudwijk else "3582CD",
            **extra,
        )

    return SimpleNamespace(
        oudwijk=oudwijk,
        lanen=lanen,
        rita=person("Rita Vraag", street="Oudwijkerlaan", number="7", phone="030 111 22 33"),
        other=person("Olga Ander", street="Nachtegaalstraat", number="3"),
        lanen_member=person("Lars Lanen", hood=lanen, street="Laan", number="9"),
        vera=person("Vera Vrijwilliger", roles=[Role.VOLUNTEER]),
        victor=person("Victor Helper", roles=[Role.VOLUNTEER], hood=lanen),
        coordinator=person("Coco Coördinator", roles=[Role.COORDINATOR]),
        assistant=MemberFactory(
            schema=coop.schema,
            name="Bea Buurt",
            roles=[Role.NEIGHBOURHOOD_ASSISTANT],
            neighbourhood=oudwijk,
            assists=[oudwijk],
        ),
        board=board_member(coop),
    )


def joining_people(coop) -> dict[str, Member]:
    """A plain member, a volunteer, an assistant and a coordinator: who may decide on
    applications and send invitations, and who may not."""
    return {
        "member": MemberFactory(schema=coop.schema, name="Gewoon Lid"),
        "volunteer": MemberFactory(
            schema=coop.schema, name="Vera Vrijwilliger", roles=["volunteer"]
        ),
        "assistant": MemberFactory(
            schema=coop.schema, name="Bas Buurtassistent", roles=["neighbourhood_assistant"]
        ),
        "coordinator": MemberFactory(
            schema=coop.schema, name="Coco Coördinator", roles=["coordinator"]
        ),
    }


# --- joining ------------------------------------------------------------------------------------


class ApplicationFactory(SchemaFactory):
    """A pending application through the real service, as the join page makes it; by default
    Sanne de Vries of Oudwijk 12, whom the joining tests' join form fills in too."""

    class Meta:
        model = Application

    kind = "resident"
    name = "Sanne de Vries"
    email = "Sanne@Example.nl"
    phone = "030 123 4567"
    street = "Oudwijk"
    house_number = "12"
    postcode = "3581 ab"
    password = APPLICANT_PASSWORD
    message = "Ik help graag met boodschappen."
    accept_privacy = True
    accept_disclaimer = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return joining.application_submit(**kwargs)


class InvitationFactory(SchemaFactory):
    """An invitation sent by ``invited_by`` through the real service; its one-time token,
    which only the email holds, is kept on it as ``.token``."""

    class Meta:
        model = Invitation

    invited_by = None
    email = "gerrit@example.nl"
    name = "Gerrit"

    @classmethod
    def _create(cls, model_class, *args, invited_by, email, name):
        invitation, token = joining.invitation_send(actor=invited_by, email=email, name=name)
        invitation.token = token
        return invitation


# --- the marketplace ---------------------------------------------------------------------------


class HelpRequestFactory(SchemaFactory):
    """A request for help through the real service, as the requester (or ``actor`` on their
    behalf) makes it on the page; ``cluster`` is a Cluster or its name. Other keywords go to
    the service (``description``, ``preferred_dates``, ``network_checked``, an address ...)."""

    class Meta:
        model = HelpRequest

    requester = factory.SubFactory(MemberFactory, schema=factory.SelfAttribute("..schema"))
    actor = None
    cluster = "Wandelen"
    title = "Samen wandelen"
    expected_hours = "1.5"

    @classmethod
    def _create(cls, model_class, *args, requester, actor, cluster, **fields):
        return marketplace.request_create(
            actor=actor or requester, requester=requester, cluster=_cluster(cluster), **fields
        )


class ServiceFactory(SchemaFactory):
    """A service through the real marketplace: a request by ``requester`` (or the given
    ``request``), answered by ``volunteer`` and accepted for ``date`` at ``start``, 3 days
    from now unless ``date`` says otherwise. ``held_days_ago=1`` then moves the appointment
    to yesterday; ``state="registered"`` has the volunteer register ``hours`` and
    ``state="confirmed"`` has the requester confirm them too.

    Without a requester: Rita Hulpvrager of Ooststraat 12; without a volunteer: Vera
    Vrijwilliger; both in ``buurt``."""

    class Meta:
        model = Service

    request = None
    requester = None
    volunteer = None
    buurt = None
    cluster = "Wandelen"
    title = "Kraan repareren"
    description = ""
    expected_hours = "1.5"
    date = factory.LazyFunction(lambda: TODAY() + dt.timedelta(days=3))
    start = dt.time(14, 30)
    held_days_ago: int | None = None
    state = "planned"
    hours = "1.5"

    @classmethod
    def _create(cls, model_class, *args, **kw):
        schema = connection.schema_name
        request = kw["request"]
        if request is None:
            requester = kw["requester"] or MemberFactory(
                schema=schema,
                name="Rita Hulpvrager",
                neighbourhood=kw["buurt"],
                street="Ooststraat",
                house_number="12",
                postcode="3581AB",
            )
        volunteer = kw["volunteer"] or MemberFactory(
            schema=schema, name="Vera Vrijwilliger", roles=["volunteer"], neighbourhood=kw["buurt"]
        )
        if request is None:
            request = marketplace.request_create(
                actor=requester,
                requester=requester,
                cluster=_cluster(kw["cluster"]),
                title=kw["title"],
                description=kw["description"],
                expected_hours=kw["expected_hours"],
                network_checked=True,
            )
        response = marketplace.response_create(volunteer=volunteer, request=request)
        service = marketplace.response_accept(
            actor=request.created_by, response=response, date=kw["date"], start_time=kw["start"]
        )
        if kw["held_days_ago"] is not None:
            held = TODAY() - dt.timedelta(days=kw["held_days_ago"])
            Service.objects.filter(pk=service.pk).update(date=held)
        if kw["state"] == "planned":
            return service
        marketplace.service_register_hours(
            actor=service.volunteer, service=service, hours=kw["hours"]
        )
        if kw["state"] == "confirmed":
            marketplace.service_confirm(actor=service.requester, service=service)
        return Service.objects.get(pk=service.pk)


def create_form(**fields) -> dict:
    """What the page's request form sends (in its Dutch formats), with ``fields`` changed."""
    return {"title": "Samen wandelen", "expected_hours": "1,5", **fields}


def breaking_house_rule(alfa, people, code: str) -> dict:
    """Set alfa's rules up so that the house rule ``code`` (a key of tests.texts.HOUSE_RULES)
    refuses Rita's next request, and return the request form that breaks it; ``people`` are
    marketplace_people(alfa)."""
    walk, paid = cluster_named(alfa, "Wandelen").pk, cluster_named(alfa, "Reparaties").pk
    if code == "too_long":
        return create_form(cluster=walk, expected_hours="2,5")
    if code == "too_many_open":
        HelpRequestFactory(schema=alfa.schema, requester=people.rita)
        return create_form(cluster=walk, title="Nog een vraag")
    if code == "network_check":
        return create_form(cluster=paid, expected_hours="1")
    if code == "referred_to_partner":
        with schema_context(alfa.schema):
            partner_save(
                actor=people.board,
                name="Buurtbedrijf Oost",
                contact_name="Piet Klus",
                phone="030 123 45 67",
                email="info@buurtbedrijf.example.nl",
            )
            rulebook_revise(
                actor=people.board, changes={"partner_referral_hours": "1.5"}, decision=decided()
            )
        return create_form(cluster=paid, expected_hours="2", network_checked="on")
    if code == "retired":
        with schema_context(alfa.schema):
            cluster_set_active(
                actor=people.board, cluster=Cluster.objects.get(pk=walk), active=False
            )
        return create_form(cluster=walk)
    assert code == "past"
    return create_form(cluster=walk, preferred_dates=f"{TODAY() - dt.timedelta(days=1):%d-%m-%Y}")


def beta_request(beta) -> HelpRequest:
    """A request in beta, by Bep Beta."""
    requester = MemberFactory(
        schema=beta.schema, name="Bep Beta", street="Betastraat", house_number="2"
    )
    with schema_context(beta.schema):
        cluster = Cluster.objects.filter(is_active=True).first()
    return HelpRequestFactory(
        schema=beta.schema,
        requester=requester,
        cluster=cluster,
        title="Vraag in beta",
        expected_hours="1",
    )


def date_passed(coop, service: Service, days: int = 1) -> None:
    """The appointment took place ``days`` ago."""
    with schema_context(coop.schema):
        Service.objects.filter(pk=service.pk).update(date=TODAY() - dt.timedelta(days=days))


def pending_payment(coop, *, requester=None, hours: str = "1.5") -> Transfer:
    """A confirmed service under points rules (WIJ, in `beta`): its payment (2 points an
    hour) waits for the requester's approval."""
    volunteer = MemberFactory(schema=coop.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    service = ServiceFactory(
        schema=coop.schema,
        cluster="Administratie",
        requester=requester,
        volunteer=volunteer,
        held_days_ago=1,
        state="confirmed",
        hours=hours,
    )
    with schema_context(coop.schema):
        return Transfer.objects.get(service_id=service.pk)


# --- klussen in euros ---------------------------------------------------------------------------


def confirmed_klus(coop, *, cluster: str, requester=None, volunteer=None, hours: str = "1,5"):
    """A paid service, done today, its hours registered and confirmed through the real
    services: returns (service, its KlusPayment)."""
    service = ServiceFactory(
        schema=coop.schema,
        cluster=cluster,
        requester=requester,
        volunteer=volunteer,
        date=TODAY(),
        state="confirmed",
        hours=hours,
    )
    with schema_context(coop.schema):
        payment = KlusPayment.objects.select_related("requester", "volunteer").get(service=service)
    return service, payment


def klussen_in_both(alfa, beta):
    """Paid rules in both cooperatives, one confirmed klus in alfa and two in beta, beta's
    payments numbered past every payment in alfa (so the beta klus returned has an id that
    alfa does not have, whatever the tests before this one left the sequences at): (alfa's
    cluster, alfa's KlusPayment, beta's KlusPayment)."""
    alfa_cluster = paid_rules(alfa, rate="5,00", share="10")
    beta_cluster = paid_rules(beta, rate="6,00")
    _, alfa_payment = confirmed_klus(alfa, cluster=alfa_cluster)
    beyond(beta, alfa, KlusPayment)
    confirmed_klus(beta, cluster=beta_cluster)
    _, beta_payment = confirmed_klus(beta, cluster=beta_cluster)
    return alfa_cluster, alfa_payment, beta_payment


class KlusPaymentFactory(SchemaFactory):
    """A confirmed paid service with its euro CompensationDue and its KlusPayment, written
    directly at ``rate`` an hour in the cooperative's first cluster (for what reads klussen,
    such as the statements; the payment flows themselves go through confirmed_klus)."""

    class Meta:
        model = KlusPayment

    volunteer = None
    requester = None
    performed_on = factory.LazyFunction(TODAY)
    hours = "1"
    share = "0"
    rate = Decimal("4.50")
    status = KlusPayment.Status.OPEN
    method = ""
    fee = "0"
    paid_at = None

    @classmethod
    def _create(cls, model_class, *args, volunteer, requester, hours, share, rate, fee, **kw):
        cluster = Cluster.objects.order_by("position", "id").first()
        amount = (Decimal(hours) * rate).quantize(Decimal("0.01"))
        request = HelpRequest.objects.create(
            requester=requester,
            created_by=requester,
            cluster=cluster,
            title="Steunkousen",
            description=KLUS_DESCRIPTION,
            expected_hours=Decimal(hours),
            compensation=Compensation.EUROS,
            status=HelpRequest.Status.CLOSED,
        )
        service = Service.objects.create(
            request=request,
            requester=requester,
            volunteer=volunteer,
            cluster=cluster,
            compensation=Compensation.EUROS,
            status=Service.Status.CONFIRMED,
            date=kw["performed_on"],
            start_time=dt.time(10, 0),
            planned_hours=Decimal(hours),
            registered_hours=Decimal(hours),
        )
        due = CompensationDue.objects.create(
            service=service,
            kind=CompensationDue.Kind.EUROS,
            amount=amount,
            cooperative_share=Decimal(share),
            payer=requester,
            payee=volunteer,
            status=(
                CompensationDue.Status.SETTLED
                if kw["status"] == KlusPayment.Status.PAID
                else CompensationDue.Status.OWED
            ),
        )
        return super()._create(
            model_class,
            service=service,
            due=due,
            requester=requester,
            volunteer=volunteer,
            hours=Decimal(hours),
            rate_per_hour=rate,
            amount=amount,
            cooperative_share=Decimal(share),
            volunteer_amount=amount - Decimal(share),
            platform_fee=Decimal(fee),
            **kw,
        )


# --- cooperatives of a test's own ---------------------------------------------------------------


@contextmanager
def fresh_cooperative(django_db_blocker, slug: str) -> Iterator[str]:
    """A WIJ cooperative of the test's own with committed data; yields its schema. Ledger
    rows can never be deleted, so the whole schema is dropped at the end."""
    with django_db_blocker.unblock():
        schema = cooperative_sign_up(
            name=f"WIJ {slug}",
            slug=slug,
            board_member_name="Bo Bestuur",
            email=f"bestuur@{slug}.example.nl",
            password=PASSWORD,
            template="wij",
        ).cooperative.schema_name
        try:
            yield schema
        finally:
            drop_cooperative(schema)


# --- the network level (public schema) -------------------------------------------------------


@dataclass(frozen=True)
class NetworkSet:
    """Three networks in tiers: 500WIJK (national) over SAMEN030 (city), and Rijnmond
    (regional), apart from both."""

    wijk500: Any
    samen030: Any
    rijnmond: Any


def networks_make() -> NetworkSet:
    from tenants.models import Network

    with schema_context("public"):
        wijk500 = Network.objects.create(
            name="500WIJKCOÖPERATIES", slug="500wijk", tier=Network.Tier.NATIONAL
        )
        samen030 = Network.objects.create(
            name="SAMEN030", slug="samen030", tier=Network.Tier.CITY, parent=wijk500
        )
        rijnmond = Network.objects.create(
            name="Rijnmond Samen", slug="rijnmond", tier=Network.Tier.REGIONAL
        )
    return NetworkSet(wijk500, samen030, rijnmond)


def network_user(network: Any, role: str = "manager", email: str | None = None) -> Any:
    """A public-schema user bound to ``network`` with a confirmed TOTP device (its key in
    ``user.totp_key`` for a test that types a code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tenants.networks.models import NetworkRole

    with schema_context("public"):
        user = User.objects.create_user(
            email or f"{role}@{network.slug}.example.nl",
            None,
            full_name=f"{role.capitalize()} {network.name}",
        )
        NetworkRole.objects.create(user=user, network=network, role=role)
        device = TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
        user.totp_device = device
    return user


def membership_make(
    network: Any,
    cooperative: Any,
    *,
    groups: tuple[str, ...] | None = None,
    on_map: bool = True,
    share_with_parent: bool = True,
) -> Any:
    """An active membership sharing ``groups`` (all of them by default)."""
    from django.utils import timezone

    from cooperatives.figures.catalog import GROUP_KEYS
    from tenants.networks.models import Membership

    with schema_context("public"):
        return Membership.objects.create(
            network=network,
            cooperative=cooperative,
            status=Membership.Status.ACTIVE,
            initiated_by=Membership.Side.COOPERATIVE,
            share_groups=list(GROUP_KEYS if groups is None else groups),
            on_map=on_map,
            share_with_parent=share_with_parent,
            started_at=timezone.now(),
        )


# --- network figures (helper: figures) -----------------------------------------------------------


def services_given(coop, n: int, *, cluster: str, rating: int | None = None) -> list[Service]:
    """``n`` services given today in ``cluster``, each by another requester (Ooststraat, with
    a secret-sounding title) and volunteer, confirmed and, with ``rating``, rated."""
    made = []
    for i in range(n):
        requester = MemberFactory(
            schema=coop.schema,
            name=f"Hulpvrager {cluster} {i}",
            street="Ooststraat",
            house_number=str(i + 1),
            postcode="3581AB",
        )
        service = ServiceFactory(
            schema=coop.schema,
            cluster=cluster,
            requester=requester,
            date=TODAY(),
            state="confirmed",
            title=f"Geheime vraag van {requester.name}",
        )
        if rating is not None:
            with schema_context(coop.schema):
                marketplace.service_feedback(
                    actor=service.requester, service=service, rating=rating, comment="Dank!"
                )
        made.append(service.pk)
    with schema_context(coop.schema):
        return list(Service.objects.select_related("requester", "request").filter(pk__in=made))


# --- dashboards (helper `dashboards`): aggregate figure rows in the public schema, written as
# the nightly run writes them, for the network pages that read them.
# One month of a cooperative's figures: (group, metric, dimension) -> value (None: suppressed).
FIGURE_CELLS: dict[tuple[str, str, str], Decimal | None] = {
    ("members", "members", ""): Decimal(120),
    ("members", "members", "resident"): Decimal(112),
    ("members", "members", "organisation"): Decimal(8),
    ("members", "joined", ""): Decimal(6),
    ("members", "left", ""): None,
    ("members", "active_volunteers", ""): Decimal(31),
    ("help", "requests", ""): Decimal(44),
    ("help", "services", ""): Decimal(40),
    ("help", "services", "Vervoer"): Decimal(22),
    ("help", "services", "Klussen in huis"): Decimal(18),
    ("help", "hours", ""): Decimal("61.5"),
    ("help", "same_street_share", ""): Decimal("27.5"),
    ("help", "same_buurt_share", ""): Decimal("62.5"),
    ("help", "median_days_to_match", ""): Decimal("1.5"),
    ("help", "repeat_help", ""): Decimal(9),
    ("feedback", "ratings", ""): Decimal(20),
    ("feedback", "average_rating", ""): Decimal("4.4"),
    ("points", "in_circulation", ""): Decimal(830),
    ("klussen", "euros", ""): Decimal("412.50"),
    ("klussen", "hours", ""): Decimal("91.5"),
    ("wellbeing", "score", "meaning"): Decimal("7.2"),
    ("wellbeing", "score", "participation"): None,
}


def figures_make(
    cooperative, month: dt.date, cells: dict[tuple[str, str, str], Decimal | None] | None = None
) -> list[Any]:
    """The cells (FIGURE_CELLS by default) of one cooperative and month, and a finished run."""
    from tenants.figures.models import Figure, FigureRun

    with schema_context("public"):
        made = Figure.objects.bulk_create(
            Figure(
                cooperative=cooperative,
                month=month,
                group=group,
                metric=metric,
                dimension=dimension,
                value=value,
                suppressed=value is None,
            )
            for (group, metric, dimension), value in (
                FIGURE_CELLS if cells is None else cells
            ).items()
        )
        FigureRun.objects.create(
            cooperative=cooperative,
            status=FigureRun.Status.DONE,
            finished_at=timezone.make_aware(dt.datetime(2026, 12, 2, 3, 15)),
            cells=len(made),
        )
    return made


def bare_cooperatives(count: int, prefix: str = "extra") -> list:
    """Cooperatives in the public registry only (no schema: the dashboards never open one)."""
    from tenants.models import Cooperative

    with schema_context("public"):
        return [
            Cooperative.objects.create(
                name=f"Coöperatie {prefix} {n}", slug=f"{prefix}-{n}", schema_name=f"{prefix}_{n}"
            )
            for n in range(count)
        ]
