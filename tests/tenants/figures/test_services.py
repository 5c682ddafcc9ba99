"""The nightly run for one cooperative: only what it shares today, small cells hidden before
anything is written, its rows replaced in one go (a withdrawn group's rows disappear), the
same rows twice, and nothing of one cooperative in another's rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from cooperatives.figures.cells import Cell
from cooperatives.members.models import Member
from tenants.figures import services
from tenants.figures.models import Figure, FigureRun
from tenants.networks.models import Membership
from tests.factories import TODAY, membership_make, services_given


def rows(coop) -> set[tuple]:
    return set(
        Figure.objects.filter(cooperative=coop.cooperative).values_list(
            "month", "group", "metric", "dimension", "value", "suppressed"
        )
    )


def groups(coop) -> set[str]:
    return set(Figure.objects.filter(cooperative=coop.cooperative).values_list("group", flat=True))


def this_month(coop, metric: str, dimension: str = "", group: str = "help") -> Figure:
    return Figure.objects.get(
        cooperative=coop.cooperative,
        month=TODAY().replace(day=1),
        group=group,
        metric=metric,
        dimension=dimension,
    )


@pytest.fixture
def given(alfa, beta):
    """Alfa: 6 walks and 3 groceries this month, rated; beta: 5 rides."""
    return {
        "alfa": services_given(alfa, 6, cluster="Wandelen", rating=4)
        + services_given(alfa, 3, cluster="Boodschappen", rating=5),
        "beta": services_given(beta, 5, cluster="(Auto)vervoer"),
    }


def test_a_run_writes_only_the_groups_shared_and_follows_a_withdrawn_choice(
    alfa, beta, networks, given
):
    membership = membership_make(networks.samen030, alfa.cooperative, groups=("help",))
    membership_make(networks.rijnmond, alfa.cooperative, groups=("feedback",))
    run = services.figures_run(cooperative=alfa.cooperative)
    assert groups(alfa) == {"help", "feedback"}  # the union of what it shares
    assert run.status == FigureRun.Status.DONE and run.finished_at is not None
    assert run.cells == Figure.objects.filter(cooperative=alfa.cooperative).count()
    assert this_month(alfa, "services").value == 9

    # The board withdraws help from SAMEN030: the next run leaves no help row behind.
    Membership.objects.filter(pk=membership.pk).update(share_groups=["members"])
    services.figures_run(cooperative=alfa.cooperative)
    assert groups(alfa) == {"members", "feedback"}
    # The membership ends: only what Rijnmond still receives is kept.
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.ENDED)
    services.figures_run(cooperative=alfa.cooperative)
    assert groups(alfa) == {"feedback"}
    # A cooperative that shares nothing has no rows (beta is in no network).
    services.figures_run(cooperative=beta.cooperative)
    assert rows(beta) == set()


def test_small_cells_are_stored_without_a_value(alfa, networks, given):
    membership_make(networks.samen030, alfa.cooperative)
    services.figures_run(cooperative=alfa.cooperative)
    # Three groceries are too few; shown beside the total they would follow from 9 - 6, so
    # the walks are hidden too, in the services table and in the hours table alike.
    for metric in ("services", "hours"):
        for cluster in ("Boodschappen", "Wandelen"):
            cell = this_month(alfa, metric, cluster)
            assert (cell.value, cell.suppressed) == (None, True)
    assert this_month(alfa, "services").value == 9
    assert this_month(alfa, "hours").value == Decimal("13.5")
    # Nine ratings average 4.3 (6 x 4 and 3 x 5).
    assert this_month(alfa, "average_rating", group="feedback").value == Decimal("4.3")
    hidden = Figure.objects.filter(cooperative=alfa.cooperative, suppressed=True)
    assert hidden.exists()
    assert not hidden.filter(value__isnull=False).exists()
    assert not Figure.objects.filter(suppressed=False, value__isnull=True).exists()


def test_a_second_run_gives_the_same_rows(alfa, beta, networks, given):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    services.figures_run(cooperative=alfa.cooperative)
    first = rows(alfa)
    services.figures_run(cooperative=alfa.cooperative)
    assert rows(alfa) == first
    runs = FigureRun.objects.filter(cooperative=alfa.cooperative)
    assert [r.status for r in runs] == ["done", "done"]
    assert len({r.cells for r in runs}) == 1


def test_two_cooperatives_are_apart(alfa, beta, networks, given):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    services.figures_run(cooperative=alfa.cooperative)
    before = rows(alfa)
    services.figures_run(cooperative=beta.cooperative)
    # Beta's run replaces beta's rows only, from beta's own schema.
    assert rows(alfa) == before
    assert this_month(alfa, "services").value == 9
    assert this_month(beta, "services").value == 5
    assert this_month(beta, "services", "(Auto)vervoer").value == 5
    assert not Figure.objects.filter(cooperative=beta.cooperative, dimension="Wandelen").exists()


def test_no_row_holds_anything_a_member_wrote_or_is(alfa, beta, networks, given):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    for coop in (alfa, beta):
        services.figures_run(cooperative=coop.cooperative)
    personal: set[str] = set()
    for coop in (alfa, beta):
        with schema_context(coop.schema):
            for m in Member.objects.all():
                personal |= {m.name, m.email, m.street, m.house_number, m.postcode, str(m.pk)}
    for service in given["alfa"] + given["beta"]:
        personal |= {service.request.title, service.request.description, service.feedback}
    personal -= {""}
    dimensions = set(Figure.objects.values_list("dimension", flat=True))
    assert dimensions <= {
        "",
        "resident",
        "organisation",
        "Wandelen",
        "Boodschappen",
        "(Auto)vervoer",
    }
    assert not personal & dimensions


def test_the_store_refuses_a_cell_outside_the_catalog_and_writes_nothing(alfa, networks):
    membership_make(networks.samen030, alfa.cooperative)
    services.figures_run(cooperative=alfa.cooperative)
    before = rows(alfa)
    month = TODAY().replace(day=1)
    bad = [
        Cell(month, "members", "joined", Decimal(9), 9),
        Cell(month, "addresses", "street", Decimal(9), 9, dimension="Ooststraat"),
    ]
    with pytest.raises(ValidationError) as refused:
        services.figures_store(cooperative=alfa.cooperative, cells=bad)
    assert refused.value.error_dict["cells"][0].code == "group"
    twice = [Cell(month, "members", "joined", Decimal(9), 9)] * 2
    with pytest.raises(ValidationError):
        services.figures_store(cooperative=alfa.cooperative, cells=twice)
    mid_month = [Cell(dt.date(2026, 5, 2), "members", "joined", Decimal(9), 9)]
    with pytest.raises(ValidationError):
        services.figures_store(cooperative=alfa.cooperative, cells=mid_month)
    assert rows(alfa) == before
    assert FigureRun.objects.filter(cooperative=alfa.cooperative).count() == 1


def test_a_failed_run_is_recorded_and_keeps_the_last_rows(alfa, networks, monkeypatch):
    membership_make(networks.samen030, alfa.cooperative)
    services.figures_run(cooperative=alfa.cooperative)
    before = rows(alfa)

    def broken(**_kwargs):
        raise RuntimeError("schema weg")

    monkeypatch.setattr(services, "figures_compute", broken)
    with pytest.raises(RuntimeError):
        services.figures_run(cooperative=alfa.cooperative)
    assert rows(alfa) == before
    latest = FigureRun.objects.filter(cooperative=alfa.cooperative).first()
    assert latest is not None and latest.status == FigureRun.Status.FAILED
