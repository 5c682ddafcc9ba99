"""Saving the shared-savings parameters: every save is a new version (the old ones are kept as
they were), only a manager of the network may save, and bad numbers are refused in Dutch with
nothing written."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_tenants.utils import schema_context

from tenants.savings.models import ClusterParameters, SavingsParameters
from tests.factories import network_user


def written() -> tuple[int, int]:
    with schema_context("public"):
        return SavingsParameters.objects.count(), ClusterParameters.objects.count()


def codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]


def test_every_save_is_a_new_version_and_the_old_one_stays(alfa, beta, networks, craft):
    manager = network_user(networks.samen030)
    first = craft.parameters(manager, networks.samen030, clusters=[("Vervoer", "0.8", "40")])
    second = craft.parameters(
        manager, networks.samen030, share="0,6", cost="35,50", clusters=[("Vervoer", "0.7", "45")]
    )
    other = craft.parameters(network_user(networks.rijnmond), networks.rijnmond)
    assert (first.version, second.version, other.version) == (1, 2, 1)
    with schema_context("public"):
        kept = SavingsParameters.objects.get(pk=first.pk)
        assert (kept.share, kept.hourly_cost) == (Decimal("0.500"), Decimal("30.00"))
        assert [(c.cluster, c.share, c.hourly_cost) for c in kept.clusters.all()] == [
            ("Vervoer", Decimal("0.800"), Decimal("40.00"))
        ]
        assert (second.share, second.hourly_cost) == (Decimal("0.600"), Decimal("35.50"))
        assert second.set_by == manager and second.set_by_name == manager.full_name
        # A version is never edited in place.
        kept.share = Decimal("0.9")
        with pytest.raises(ValueError):
            kept.save()
        assert SavingsParameters.objects.get(pk=first.pk).share == Decimal("0.500")


@pytest.mark.parametrize(
    ("given", "field", "code", "message"),
    [
        (
            {"share": "1.2"},
            "share",
            "share_out_of_range",
            "Het vervangingsaandeel ligt tussen 0 en 1 (bijvoorbeeld 0,6 voor 60 procent van de "
            "uren).",
        ),
        ({"cost": "-5"}, "hourly_cost", "negative_cost", "Het uurtarief kan niet negatief zijn."),
        (
            {"clusters": [("Vervoer", "1,5", "40")]},
            "clusters",
            "share_out_of_range",
            "Cluster Vervoer: het vervangingsaandeel ligt tussen 0 en 1 (bijvoorbeeld 0,6 voor 60 "
            "procent van de uren).",
        ),
        (
            {"clusters": [("Vervoer", "0.5", "-1")]},
            "clusters",
            "negative_cost",
            "Cluster Vervoer: het uurtarief kan niet negatief zijn.",
        ),
        (
            {"clusters": [("Vervoer", "0.5", "40"), ("vervoer", "0.6", "40")]},
            "clusters",
            "duplicate_cluster",
            "Het cluster vervoer staat er twee keer in.",
        ),
        (
            {"share": "veel"},
            "share",
            "required",
            "Vul het vervangingsaandeel in als getal van 0 tot en met 1.",
        ),
    ],
)
def test_bad_parameters_are_refused_in_dutch_and_nothing_is_written(
    alfa, beta, networks, craft, given, field, code, message
):
    manager = network_user(networks.samen030)
    craft.parameters(manager, networks.samen030)
    before = written()
    # Dutch whatever an earlier test left active in this thread.
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        craft.parameters(manager, networks.samen030, **given)
    assert codes(refused.value) == [code]
    assert refused.value.message_dict == {field: [message]}
    assert written() == before


def test_only_a_manager_of_the_network_may_save(alfa, beta, networks, craft):
    analyst = network_user(networks.samen030, role="analyst")
    other_manager = network_user(networks.rijnmond)
    for actor in (analyst, other_manager):
        with pytest.raises(PermissionDenied):
            craft.parameters(actor, networks.samen030)
    assert written() == (0, 0)
