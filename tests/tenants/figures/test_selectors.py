"""What a network reads of the figures: the rows of the cooperatives it sees, and of each only
the groups that cooperative shares with it, in one query."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from tenants.figures import services
from tenants.figures.selectors import (
    figures_network_trend,
    figures_of,
    figures_side_by_side,
    last_runs,
)
from tenants.networks.selectors import cooperatives_visible_to_network
from tests.factories import TODAY, MemberFactory, membership_make


def test_a_network_reads_only_the_groups_shared_with_it(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative, groups=("help",))
    membership_make(networks.rijnmond, alfa.cooperative, groups=("members",))
    membership_make(networks.rijnmond, beta.cooperative, groups=("members", "help"))
    for coop in (alfa, beta):
        services.figures_run(cooperative=coop.cooperative)

    samen = cooperatives_visible_to_network(network=networks.samen030)
    # Alfa has members rows (Rijnmond receives them), but not for SAMEN030.
    assert not figures_of(visible=samen, group="members").exists()
    assert set(
        figures_of(visible=samen, group="help").values_list("cooperative__slug", flat=True)
    ) == {"alfa"}
    rijnmond = cooperatives_visible_to_network(network=networks.rijnmond)
    assert set(
        figures_of(visible=rijnmond, group="help").values_list("cooperative__slug", flat=True)
    ) == {"beta"}
    assert set(
        figures_of(visible=rijnmond, group="members", totals_only=True).values_list(
            "dimension", flat=True
        )
    ) == {""}
    # 500WIJK sees alfa through SAMEN030 (shared upwards), with SAMEN030's groups.
    national = cooperatives_visible_to_network(network=networks.wijk500)
    assert not figures_of(visible=national, group="members").exists()
    with CaptureQueriesContext(connection) as queries:
        list(figures_of(visible=national, group="help"))
    assert len(queries) == 1
    assert set(last_runs(visible=rijnmond)) == {alfa.cooperative.pk, beta.cooperative.pk}


def test_the_network_trend_adds_up_shown_cells_and_counts_hidden_ones(alfa, beta, networks):
    for i in range(5):
        MemberFactory(schema=alfa.schema, name=f"Bewoner {i}")
    MemberFactory(schema=beta.schema, name="Enige Bewoner")
    membership_make(networks.samen030, alfa.cooperative, groups=("members",))
    membership_make(networks.samen030, beta.cooperative, groups=("members",))
    membership_make(networks.rijnmond, beta.cooperative, groups=("members",))
    for coop in (alfa, beta):
        services.figures_run(cooperative=coop.cooperative)
    with schema_context(alfa.schema):
        alfa_members = Member.objects.count()  # the founder and the five
    samen = cooperatives_visible_to_network(network=networks.samen030)
    trend = figures_network_trend(visible=samen, group="members", metric="members")
    assert len(trend) == 13
    now = trend[-1]
    assert now.month == TODAY().replace(day=1)
    # Beta's two members are hidden: the sum is alfa's alone, and says one was left out.
    assert (now.total, now.shown, now.hidden) == (alfa_members, 1, 1)
    side = figures_side_by_side(visible=samen, group="members", month=now.month)
    assert {(coop, metric) for coop, metric, _v, _s in side} == {
        (alfa.cooperative.pk, m) for m in ("joined", "left", "members", "active_volunteers")
    } | {(beta.cooperative.pk, m) for m in ("joined", "left", "members", "active_volunteers")}
    assert all(value is None for _c, _m, value, hidden in side if hidden)
    # Rijnmond sees beta only.
    rijnmond = cooperatives_visible_to_network(network=networks.rijnmond)
    (beta_now,) = [
        p
        for p in figures_network_trend(visible=rijnmond, group="members", metric="members")
        if p.month == now.month
    ]
    assert (beta_now.total, beta_now.shown, beta_now.hidden) == (0, 0, 1)
