"""The permission layer: which role may do what, walked as a matrix, and the buurt scope of a
neighbourhood assistant."""

import pytest
from django_tenants.utils import schema_context

from shared import permissions
from tests.factories import MemberFactory, NeighbourhoodFactory

# The expected matrix, written out by hand (not derived from ACTIONS): a change to who may do
# what must change this table too.
ROLES = ["member", "volunteer", "assistant", "coordinator", "board", "audit", "admin"]


ALLOWED = {
    "member.list": {"assistant", "coordinator", "board", "admin"},
    "member.view": {"assistant", "coordinator", "board", "admin"},
    "member.edit": {"assistant", "coordinator", "admin"},
    "member.register": {"assistant", "coordinator", "admin"},
    "member.set_neighbourhood": {"assistant", "coordinator", "admin"},
    "member.assign_roles": {"board", "admin"},
    "member.erase": {"board", "admin"},
    "member.export": {"coordinator", "board", "admin"},
    "member.two_factor_reset": {"board"},
    "member.password_reset": {"assistant", "coordinator", "admin"},
    "application.decide": {"coordinator", "board", "admin"},
    "invitation.send": {"coordinator", "board", "admin"},
    "cooperative.manage": {"board", "admin"},
    "cooperative.export": {"board"},
    "neighbourhood.manage": {"board", "admin"},
    "cluster.manage": {"board", "admin"},
    "rulebook.edit": {"board", "admin"},
    "partner.manage": {"coordinator", "board", "admin"},
    "audit.view": {"board", "audit", "admin"},
    "carelog.view": {"board", "audit", "admin"},
    "request.create": set(ROLES),
    "request.create_on_behalf": {"assistant", "coordinator", "admin"},
    "offer.create": {"volunteer", "assistant", "coordinator", "admin"},
    "request.respond": {"volunteer", "assistant", "coordinator", "admin"},
    "service.coordinate": {"assistant", "coordinator", "admin"},
    "marketplace.board": {"assistant", "coordinator", "board", "admin"},
    "marketplace.view": set(ROLES),
    "service.dispute": set(ROLES),
    "service.resolve": set(ROLES),
    "service.message": set(ROLES),
    "points.use": set(ROLES),
    "points.grant": {"coordinator", "admin"},
    "points.correct": {"board", "admin"},
    "points.overview": {"board", "audit", "admin"},
    # "board" here is the treasurer, who manages billing (with the chair)
    "billing.manage": {"board", "admin"},
    "billing.view": {"board", "audit", "admin"},
    "klus.settle": set(ROLES),
    "klus.overview": {"coordinator", "board", "audit", "admin"},
    "allowance.configure": {"board", "admin"},
    "allowance.override": {"board", "admin"},
    "statement.view": {"board", "audit", "admin"},
    "governance.view": set(ROLES),
    "seat.manage": {"board", "admin"},
    "statutes.edit": {"board", "admin"},
    # "board" here is the treasurer: meetings, decisions and minutes are the secretary's (or
    # the chair's)
    "meeting.manage": {"admin"},
    "decision.record": {"admin"},
    "minutes.manage": {"admin"},
    "survey.manage": {"board", "admin"},
    "survey.results": {"board", "admin"},
    "survey.answer": set(ROLES),
    "survey.paper": {"coordinator", "admin"},
    "report.read": set(ROLES),
    "report.view": {"board", "audit", "admin"},
    "report.edit": {"board", "admin"},
    "report.review": {"audit"},
    # "board" here is the treasurer: the secretary or the chair records the ALV's approval
    "report.approve": {"admin"},
    "proposal.view": set(ROLES),
    "proposal.submit": set(ROLES),
    "proposal.submit_for_partner": {"coordinator", "board", "admin"},
    "proposal.support": set(ROLES),
    "proposal.handle": {"board", "admin"},
    "project.view": set(ROLES),
    "project.post": set(ROLES),
    "project.manage": {"board", "admin"},
    "network.manage": {"board", "admin"},
    "self.view": set(ROLES),
    "rulebook.view": set(ROLES),
    "cluster.view": set(ROLES),
    "neighbourhood.view": set(ROLES),
    "partner.view": set(ROLES),
    "meeting.view": set(ROLES),
    "meeting.rsvp": set(ROLES),
    "meeting.vote": set(ROLES),
    "proxy.grant": set(ROLES),
    # "board" here is the treasurer: the letters are the coordinators' and the secretary's
    "meeting.letters": {"coordinator", "admin"},
    "knowledge.read": {"coordinator", "board", "admin"},
    "knowledge.suggest": {"board", "admin"},
}


STORED = {
    "member": [],
    "volunteer": ["volunteer"],
    "assistant": ["neighbourhood_assistant"],
    "coordinator": ["coordinator"],
    "board": ["board_treasurer"],
    "audit": ["audit_committee"],
    "admin": ["administrator"],
}


@pytest.fixture
def cast(alfa):
    oost = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    west = NeighbourhoodFactory(schema=alfa.schema, name="Abstede", postcodes=["3582"])
    people = {
        role: MemberFactory(
            schema=alfa.schema,
            name=f"{role} lid",
            roles=STORED[role],
            neighbourhood=oost,
            assists=[oost] if role == "assistant" else [],
        )
        for role in ROLES
    }
    resident_east = MemberFactory(schema=alfa.schema, name="Bewoner Oudwijk", neighbourhood=oost)
    resident_west = MemberFactory(schema=alfa.schema, name="Bewoner Abstede", neighbourhood=west)
    return people, resident_east, resident_west, oost, west


def test_every_action_is_in_the_expected_matrix():
    assert set(permissions.ACTIONS) == set(ALLOWED)


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_role_matrix(cast, alfa, action):
    people = cast[0]
    with schema_context(alfa.schema):
        granted = {role for role, member in people.items() if permissions.can(member, action)}
    assert granted == ALLOWED[action]


def test_assistant_acts_only_in_their_own_buurt(cast, alfa):
    people, east, west, oost, abstede = cast
    assistant, coordinator = people["assistant"], people["coordinator"]
    with schema_context(alfa.schema):
        assert permissions.can(assistant, "member.view", about=east)
        assert not permissions.can(assistant, "member.view", about=west)
        assert not permissions.can(assistant, "member.edit", about=west)
        assert permissions.can(assistant, "member.register", neighbourhood=oost)
        assert not permissions.can(assistant, "member.register", neighbourhood=abstede)
        assert permissions.can(coordinator, "member.view", about=west)
        from cooperatives.members.models import Member

        visible = set(
            permissions.members_visible_to(assistant, Member.objects.all()).values_list(
                "name", flat=True
            )
        )
        assert "Bewoner Oudwijk" in visible and "Bewoner Abstede" not in visible
        everyone = permissions.members_visible_to(coordinator, Member.objects.all())
        assert everyone.filter(name="Bewoner Abstede").exists()


def test_members_who_left_have_no_rights(cast, alfa):
    board = cast[0]["board"]
    with schema_context(alfa.schema):
        board.status = "left"
        board.save()
        assert not permissions.can(board, "self.view")
        assert permissions.roles_of(board) == frozenset()


def test_unknown_action_is_a_programming_error(cast, alfa):
    with pytest.raises(KeyError, match="Unknown action"):
        permissions.can(cast[0]["admin"], "member.delete")


def test_founding_board_member_is_a_board_member_with_a_member_record(alfa, beta):
    from cooperatives.members.models import Member

    for coop in (alfa, beta):
        with schema_context(coop.schema):
            founder = Member.objects.get(email=coop.board_email)
            assert founder.user.email == coop.board_email
            assert permissions.roles_of(founder) >= {"member", "board", "board_chair"}
            assert founder.privacy_version  # consent recorded at sign-up
