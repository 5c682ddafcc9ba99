"""The people of the proposals tests: a member who proposes, one who supports, a coordinator
who submits for a partner, and the board member who signed the cooperative up."""

from types import SimpleNamespace

import pytest

from tests.factories import MemberFactory, PartnerFactory
from tests.state import board_member


def _people(coop):
    return SimpleNamespace(
        board=board_member(coop),
        proposer=MemberFactory(schema=coop.schema, name="Pim Plan", email=f"pim@{coop.schema}.nl"),
        supporter=MemberFactory(schema=coop.schema, name="Sien Steun"),
        coordinator=MemberFactory(
            schema=coop.schema, name="Coco Coördinator", roles=["coordinator"]
        ),
        partner=PartnerFactory(
            schema=coop.schema, name="Buurthuis De Linde", email="linde@example.nl"
        ),
    )


@pytest.fixture
def people(alfa):
    return _people(alfa)


@pytest.fixture
def beta_people(beta):
    return _people(beta)
