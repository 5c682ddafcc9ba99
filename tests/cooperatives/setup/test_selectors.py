"""Which buurt an address lies in: a full postcode beats its area, which beats the street."""

from __future__ import annotations

from django_tenants.utils import schema_context

from cooperatives.setup import selectors
from tests.factories import NeighbourhoodFactory


def test_full_postcode_beats_the_area_which_beats_the_street(alfa):
    street = NeighbourhoodFactory(schema=alfa.schema, name="Kerkbuurt", streets=["Kerkstraat"])
    area = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    exact = NeighbourhoodFactory(schema=alfa.schema, name="Hoekje", postcodes=["3581AB"])
    with schema_context(alfa.schema):
        find = selectors.neighbourhood_for_address
        assert find(postcode="3581AB", street="Kerkstraat") == exact
        assert find(postcode="3581 ab", street="") == exact
        assert find(postcode="3581CD", street="Kerkstraat") == area
        assert find(postcode="3599ZZ", street=" kerkstraat ") == street
        assert find(postcode="", street="KERKSTRAAT") == street
        assert find(postcode="3599ZZ", street="Dorpsstraat") is None
        assert find(postcode="", street="") is None
