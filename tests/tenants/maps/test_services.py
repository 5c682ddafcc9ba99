"""The board puts its cooperative on the map: the neighbourhood's centre, within the
Netherlands, audited; any refusal writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from shared.audit.models import AuditEntry
from tenants.maps.services import cooperative_place_set
from tenants.models import Cooperative
from tests.factories import MemberFactory


def board(coop) -> Member:
    with schema_context(coop.schema):
        return Member.objects.get(email=coop.board_email)


def point(coop) -> tuple:
    with schema_context("public"):
        c = Cooperative.objects.get(pk=coop.cooperative.pk)
        return c.latitude, c.longitude


def audit_actions(coop) -> list[str]:
    with schema_context(coop.schema):
        return list(
            AuditEntry.objects.filter(action="cooperative.map_place").values_list(
                "action", flat=True
            )
        )


def test_the_board_sets_the_point_with_dutch_or_english_decimals(alfa, beta):
    with schema_context(alfa.schema):
        cooperative_place_set(actor=board(alfa), latitude="52,0907", longitude="5.1214")
    assert point(alfa) == (Decimal("52.09070"), Decimal("5.12140"))
    assert point(beta) == (None, None)
    assert audit_actions(alfa) == ["cooperative.map_place"]
    assert audit_actions(beta) == []


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "code"),
    [
        ("48,8566", "2,3522", "latitude", "outside_netherlands"),  # Paris
        ("52,09", "7,5", "longitude", "outside_netherlands"),  # just inside Germany
        ("53,7", "5,1", "latitude", "outside_netherlands"),  # the North Sea
        ("52,09", "", "longitude", "incomplete"),
        ("noord", "5,12", "latitude", "invalid"),
    ],
)
def test_a_point_outside_the_netherlands_or_half_a_point_is_refused(
    alfa, beta, latitude, longitude, field, code
):
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        cooperative_place_set(actor=board(alfa), latitude=latitude, longitude=longitude)
    errors = refused.value.error_dict
    assert field in errors and errors[field][0].code == code
    assert point(alfa) == (None, None)
    assert audit_actions(alfa) == []


def test_the_message_for_a_point_abroad_is_dutch_and_says_the_range(alfa, beta):
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        cooperative_place_set(actor=board(alfa), latitude="48,85", longitude="5,12")
    assert refused.value.message_dict["latitude"] == [
        "Deze plek ligt niet in Nederland: de breedtegraad ligt tussen 50,7 en 53,6 "
        "(bijvoorbeeld 52,09 voor Utrecht)."
    ]


def test_only_the_board_sets_the_point(alfa, beta):
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        cooperative_place_set(actor=coordinator, latitude="52,09", longitude="5,12")
    assert refused.value.error_dict["__all__"][0].code == "forbidden"
    assert point(alfa) == (None, None)


def test_both_empty_takes_the_cooperative_off_the_map(alfa, beta):
    with schema_context(alfa.schema):
        cooperative_place_set(actor=board(alfa), latitude="52,09", longitude="5,12")
        cooperative_place_set(actor=board(alfa), latitude="", longitude="")
    assert point(alfa) == (None, None)
    assert len(audit_actions(alfa)) == 2
