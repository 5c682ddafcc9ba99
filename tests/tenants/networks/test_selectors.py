"""The one accessor of the network level: a network sees its own active members and, through
tiers, the members of the networks below it that agreed to share upwards; nothing else."""

from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.networks import selectors
from tenants.networks.models import Membership
from tests.factories import membership_make, network_user


def slugs(visible):
    return [v.cooperative.slug for v in visible]


def test_a_city_network_sees_only_its_own_members(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.rijnmond, beta.cooperative)
    samen = network_user(networks.samen030)
    rijnmond = network_user(networks.rijnmond)
    assert slugs(selectors.cooperatives_visible_to(user=samen)) == ["alfa"]
    assert slugs(selectors.cooperatives_visible_to(user=rijnmond)) == ["beta"]
    # Asking for another network's cooperatives gives nothing.
    assert selectors.cooperatives_visible_to(user=samen, network=networks.rijnmond) == []


def test_the_national_network_sees_below_only_what_agreed_to_share_upwards(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative, groups=("help",))
    membership_make(networks.samen030, beta.cooperative, share_with_parent=False)
    national = network_user(networks.wijk500)
    seen = selectors.cooperatives_visible_to(user=national)
    assert slugs(seen) == ["alfa"]
    assert seen[0].groups == {"help"}
    assert [n.slug for n in seen[0].via] == ["samen030"]
    # The city network itself sees both.
    assert set(slugs(selectors.cooperatives_visible_to_network(network=networks.samen030))) == {
        "alfa",
        "beta",
    }


def test_direct_and_inherited_sharing_are_merged(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative, groups=("help",))
    membership_make(networks.wijk500, alfa.cooperative, groups=("members",), on_map=False)
    seen = selectors.cooperatives_visible_to_network(network=networks.wijk500)
    assert slugs(seen) == ["alfa"]
    assert seen[0].groups == {"help", "members"}
    assert seen[0].on_map is True  # through SAMEN030's membership


def test_requests_invitations_and_ended_memberships_show_nothing(alfa, beta, networks):
    with schema_context("public"):
        Membership.objects.create(
            network=networks.samen030,
            cooperative=alfa.cooperative,
            status=Membership.Status.REQUESTED,
            initiated_by=Membership.Side.COOPERATIVE,
            share_groups=["help"],
        )
        Membership.objects.create(
            network=networks.samen030,
            cooperative=beta.cooperative,
            status=Membership.Status.ENDED,
            initiated_by=Membership.Side.NETWORK,
            share_groups=["help"],
            started_at=timezone.now(),
            ended_at=timezone.now(),
        )
    assert selectors.cooperatives_visible_to_network(network=networks.samen030) == []
    assert selectors.shared_groups(cooperative=alfa.cooperative) == set()


def test_shared_groups_is_the_union_over_active_memberships(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative, groups=("help",))
    membership_make(networks.rijnmond, alfa.cooperative, groups=("points", "help"))
    assert selectors.shared_groups(cooperative=alfa.cooperative) == {"help", "points"}
    assert selectors.shared_groups(cooperative=beta.cooperative) == set()


def test_a_user_bound_to_no_network_sees_nothing(alfa, beta, networks, apex_client):
    membership_make(networks.samen030, alfa.cooperative)
    with schema_context("public"):
        from shared.accounts.models import User

        stranger = User.objects.get(email="beheer@samen030.example.nl")
    assert selectors.cooperatives_visible_to(user=stranger) == []
    assert selectors.network_get(user=stranger, slug="samen030") is None
