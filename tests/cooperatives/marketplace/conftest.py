"""Set-up shared by the marketplace tests of issue 11: a cast of members per cooperative and
services brought to a stage of their lifecycle through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace import services
from cooperatives.marketplace.models import Service
from cooperatives.members.models import Member, Role
from cooperatives.setup.models import Cluster
from tests.factories import MemberFactory, NeighbourhoodFactory, marketplace_people


def _cast(coop) -> SimpleNamespace:
    """Two buurten; Rita asks (Oudwijk), Vera volunteers (Oudwijk), a coordinator, the assistant
    of Oudwijk and the assistant of Lanen, a member of the board, and a member with nothing to
    do with it all. Everyone has a phone number and an email address."""
    oudwijk = NeighbourhoodFactory(schema=coop.schema, name="Oudwijk", postcodes=["3581"])
    lanen = NeighbourhoodFactory(schema=coop.schema, name="Lanen", postcodes=["3582"])

    def person(name, roles=(), hood=oudwijk, phone="06 1234 5678", **extra):
        return MemberFactory(
            schema=coop.schema,
            name=name,
            roles=roles,
            neighbourhood=hood,
            street="Oudwijkerlaan" if hood == oudwijk else "Laan",
            house_number="7",
            postcode="3581AB" if hood == oudwijk else "3582CD",
            phone=phone,
            **extra,
        )

    with schema_context(coop.schema):
        board = Member.objects.get(email=coop.board_email)
    return SimpleNamespace(
        oudwijk=oudwijk,
        lanen=lanen,
        rita=person("Rita Vraag", phone="030 111 22 33"),
        vera=person("Vera Vrijwilliger", roles=[Role.VOLUNTEER], phone="06 9876 5432"),
        coordinator=person("Coco Coördinator", roles=[Role.COORDINATOR], hood=lanen),
        assistant=person("Bea Buurt", roles=[Role.NEIGHBOURHOOD_ASSISTANT], assists=[oudwijk]),
        other_assistant=person(
            "Lotte Lanen", roles=[Role.NEIGHBOURHOOD_ASSISTANT], hood=lanen, assists=[lanen]
        ),
        board=board,
        stranger=person("Sam Buiten"),
    )


@pytest.fixture
def cast(alfa, beta) -> Callable[[object], SimpleNamespace]:
    """``cast(coop)``: the members above in that cooperative."""
    return _cast


def serve(
    coop,
    people: SimpleNamespace,
    *,
    cluster: str,
    hours: str = "1.5",
    registered: str | None = None,
    title: str = "Kraan repareren",
) -> Service:
    """Rita's request in ``cluster``, Vera's "ik help", accepted, and held yesterday; with
    ``registered``, Vera registered that many hours."""
    with schema_context(coop.schema):
        request = services.request_create(
            actor=people.rita,
            requester=people.rita,
            cluster=Cluster.objects.get(name=cluster),
            title=title,
            expected_hours=hours,
            network_checked=True,
        )
        response = services.response_create(volunteer=people.vera, request=request)
        service = services.response_accept(
            actor=people.rita,
            response=response,
            date=timezone.localdate() + dt.timedelta(days=2),
            start_time=dt.time(10, 0),
        )
        Service.objects.filter(pk=service.pk).update(
            date=timezone.localdate() - dt.timedelta(days=1)
        )
        service.refresh_from_db()
        if registered is not None:
            service = services.service_register_hours(
                actor=people.vera, service=service, hours=registered
            )
        return Service.objects.get(pk=service.pk)


@pytest.fixture
def serve_service() -> Callable[..., Service]:
    return serve


@pytest.fixture
def people(alfa, beta):
    return marketplace_people(alfa)
