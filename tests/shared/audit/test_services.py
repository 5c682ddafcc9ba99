"""What the audit log records of a change: who changed what, without personal values."""

from django_tenants.utils import schema_context

from cooperatives.members.services import member_update
from shared.audit.models import AuditEntry
from tests.factories import MemberFactory


def test_changes_by_a_coordinator_are_logged_without_personal_values(alfa):
    coordinator = MemberFactory(schema=alfa.schema, name="Coco Coördinator", roles=["coordinator"])
    member = MemberFactory(schema=alfa.schema, name="Piet Puk", phone="0301234567")
    with schema_context(alfa.schema):
        member_update(actor=coordinator, member=member, phone="0307654321", uses_internet=False)
        entry = AuditEntry.objects.filter(action="member.update").latest("id")
    assert entry.actor_id == coordinator.pk
    assert entry.target_type == "cooperatives.member" and entry.target_id == str(member.pk)
    assert entry.changes == {"phone": "(gewijzigd)", "uses_internet": [True, False]}
    assert "0307654321" not in str(entry.changes) and "Piet" not in entry.summary
