"""The membership acts read as sentences in the cooperative's audit log: who, which network,
what is shared, and the decision that decided joining; the network's own acts name the
network, not a member."""

from __future__ import annotations

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.audit.selectors import audit_lines, audit_list
from cooperatives.members.models import Member
from tenants.networks import services
from tenants.networks.services import Sharing
from tests.factories import network_user


def lines(coop) -> list[str]:
    with schema_context(coop.schema):
        entries = audit_list().filter(action__startswith="networks.")
        return [line.sentence for line in audit_lines(entries=entries)]


def test_the_log_says_who_asked_what_is_shared_and_which_decision(alfa, beta, networks):
    with schema_context(alfa.schema):
        anna = Member.objects.get(email=alfa.board_email)
    asked = services.membership_request(
        cooperative=alfa.cooperative,
        network=networks.samen030,
        sharing=Sharing(("members", "help"), on_map=True, share_with_parent=False),
        actor=anna,
        adopting={"decided_on": timezone.localdate()},
    )
    services.membership_decline(
        membership=asked, side="network", actor=network_user(networks.samen030)
    )
    [declined, requested] = lines(alfa)
    assert requested.startswith(
        "Anna Alfa vroeg om lid te worden van SAMEN030: gedeelde cijfers: leden, hulp; "
        "op de kaart: ja; besloten bij besluit "
    )
    assert declined == "SAMEN030 wees het verzoek om lid te worden af."
    assert lines(beta) == []
