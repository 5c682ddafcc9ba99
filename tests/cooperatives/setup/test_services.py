"""The set-up services: only active members can be a buurt's assistant."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from cooperatives.setup import services
from cooperatives.setup.models import Neighbourhood
from tests.clients import logged_in_client
from tests.factories import MemberFactory
from tests.state import board_member


def test_a_member_who_left_cannot_be_made_assistant(alfa):
    gone = MemberFactory(schema=alfa.schema, name="Vertrokken Lid", status="left")
    with schema_context(alfa.schema):
        board = board_member(alfa)
        with pytest.raises(ValidationError) as refused:
            services.neighbourhood_create(actor=board, name="Oudwijk", assistants=[gone])
        assert refused.value.message_dict == {
            "assistants": ["Alleen actieve leden kunnen buurtassistent zijn."]
        }
        assert not Neighbourhood.objects.exists()
    # On the page a member who left is not even a choice.
    response = logged_in_client(alfa).post(
        "/buurten/nieuw/", {"name": "Oudwijk", "assistants": [gone.pk]}
    )
    assert response.status_code == 400
    with schema_context(alfa.schema):
        assert not Neighbourhood.objects.exists()
