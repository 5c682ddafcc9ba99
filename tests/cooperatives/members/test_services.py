"""A member registered by phone lands in the buurt of their address."""

from __future__ import annotations

from django_tenants.utils import schema_context

from cooperatives.members.models import Role
from cooperatives.members.services import member_register_on_behalf
from tests.factories import MemberFactory, NeighbourhoodFactory


def test_a_member_registered_by_phone_lands_in_the_buurt_of_their_address(alfa):
    coordinator = MemberFactory(
        schema=alfa.schema, name="Coco Coördinator", roles=[Role.COORDINATOR]
    )
    area = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    exact = NeighbourhoodFactory(schema=alfa.schema, name="Hoekje", postcodes=["3581AB"])
    by_street = NeighbourhoodFactory(schema=alfa.schema, name="Kerkbuurt", streets=["Kerkstraat"])
    expected = {"3581AB": exact, "3581CD": area, "3599ZZ": by_street}
    with schema_context(alfa.schema):
        for n, (postcode, hood) in enumerate(expected.items()):
            member = member_register_on_behalf(
                actor=coordinator,
                accept_privacy=True,
                accept_disclaimer=True,
                name=f"Nieuw Lid {n}",
                street="Kerkstraat",
                house_number=str(n + 1),
                postcode=postcode,
                phone="030 111 22 33",
                uses_internet=False,
            )
            assert member.neighbourhood == hood
