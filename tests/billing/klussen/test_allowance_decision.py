"""The yearly allowance amounts take effect only through a decision of the body the statutes
name for them; an adopted decision can set them itself, and notes what it set."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import AllowanceYear
from billing.klussen.services import allowance_year_set
from cooperatives.governance.effects import decision_effect_apply
from cooperatives.governance.models import Body
from cooperatives.governance.selectors import body_standing
from cooperatives.governance.services import decision_record, statutes_update
from tests.factories import MemberFactory, decided
from tests.state import audit_actions, last_audit_id


def test_amounts_without_a_decision_or_of_the_wrong_body_are_refused(alfa, beta):
    treasurer = MemberFactory(schema=alfa.schema, roles=["board_treasurer"])
    since = last_audit_id(alfa.schema)
    with schema_context(alfa.schema):
        with pytest.raises(ValidationError) as missing:
            allowance_year_set(actor=treasurer, year=2027, per_hour="5,75", per_year="2200")
        assert missing.value.error_dict["decision"][0].code == "decision_required"
        statutes_update(actor=None, changes={"allowance_decided_by": "alv"})
        board = decision_record(
            actor=None,
            body=body_standing(Body.Kind.GENERAL_BOARD),
            decided_on=timezone.localdate(),
            title="Vergoeding 2027",
            text="Het bestuur stelt de vergoeding vast.",
            outcome="adopted",
        )
        with pytest.raises(ValidationError) as wrong:
            allowance_year_set(
                actor=treasurer, year=2027, per_hour="5,75", per_year="2200", decision=board
            )
        assert wrong.value.error_dict["decision"][0].code == "wrong_body"
        assert not AllowanceYear.objects.filter(year=2027).exists()
    assert audit_actions(alfa.schema, since) == ["statutes.update", "decision.record"]


def test_an_adopted_decision_sets_the_amounts_and_notes_them(alfa, beta):
    with schema_context(alfa.schema):
        decision = decided("allowance", title="Vrijwilligersvergoeding 2027")
        decision_effect_apply(
            decision=decision,
            proposal={"allowance": {"year": 2027, "per_hour": "5,75", "per_year": "2.200"}},
            actor=None,
        )
        limits = AllowanceYear.objects.get(year=2027)
        decision.refresh_from_db()
        assert (str(limits.per_hour), str(limits.per_year)) == ("5.75", "2200.00")
        assert limits.decision_id == decision.pk
        assert decision.effects == [
            {
                "kind": "allowance",
                "id": limits.pk,
                "label": "Vrijwilligersvergoeding 2027: € 5.75 per uur, € 2200.00 per jaar",
            }
        ]
    with schema_context(beta.schema):
        assert not AllowanceYear.objects.filter(year=2027).exists()
