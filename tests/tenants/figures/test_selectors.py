"""What a network reads of the figures: the rows of the cooperatives it sees, and of each only
the groups that cooperative shares with it, in one query."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.figures import services
from tenants.figures.selectors import figures_of, last_runs
from tenants.networks.selectors import cooperatives_visible_to_network
from tests.factories import membership_make


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
