"""Membership of a network, both ways: a cooperative's board asks and a network manager
answers, or the network invites and the board answers with what it shares; the cooperative
changes or withdraws what it shares; either side ends it. Refusals write nothing; the board's
acts are in the cooperative's audit log; each act mails the other side a link to its page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.sponsorship.models import Sponsorship
from cooperatives.governance.models import Decision, Statutes
from cooperatives.members.models import Member
from shared.audit.models import AuditEntry
from tenants.networks import services
from tenants.networks.models import Membership
from tenants.networks.services import NOTHING, Sharing
from tests.factories import decided, membership_make, network_user

COOP, NET = Membership.Side.COOPERATIVE, Membership.Side.NETWORK


def adopted() -> dict:
    """A decision recorded now (unanimous), as the board's form sends it."""
    return {"decided_on": timezone.localdate()}


NETWORK_PAGE = "http://noaber.test:8000/netwerk/samen030/leden/"


def board(coop) -> Member:
    with schema_context(coop.schema):
        return Member.objects.get(email=coop.board_email)


def audit(coop) -> list[tuple[str, int | None, str]]:
    with schema_context(coop.schema):
        return list(
            AuditEntry.objects.filter(action__startswith="networks.")
            .order_by("pk")
            .values_list("action", "actor_id", "summary")
        )


def code_of(error: ValidationError) -> str:
    return next(e.code for errors in error.error_dict.values() for e in errors)


def refused(code: str, call, *args, **kwargs) -> None:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert code_of(caught.value) == code


@pytest.fixture
def manager(networks):
    return network_user(networks.samen030, email="beheer@samen030.nl")


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.PLATFORM_DOMAIN, settings.PLATFORM_SCHEME, settings.PLATFORM_PORT = (
        "noaber.test",
        "http",
        "8000",
    )


def request(coop, network, groups=("help", "members"), **kwargs) -> Membership:
    return services.membership_request(
        cooperative=coop.cooperative,
        network=network,
        sharing=Sharing(tuple(groups), on_map=True, share_with_parent=True),
        actor=board(coop),
        adopting=adopted(),
        **kwargs,
    )


def test_a_request_accepted_by_the_network_starts_the_membership(
    alfa, beta, networks, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = request(alfa, networks.samen030, groups=("members", "help", "help"))
    assert (asked.status, asked.initiated_by) == ("requested", "cooperative")
    # Doubles dropped, in the catalogue's order; SAMEN030 has a parent, so upward is kept.
    assert (asked.share_groups, asked.on_map, asked.share_with_parent) == (
        ["members", "help"], True, True,
    )  # fmt: skip
    [mail] = mailoutbox
    assert mail.to == ["beheer@samen030.nl"]
    assert "Wijkcoöperatie Alfa" in mail.subject
    assert NETWORK_PAGE in mail.body

    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.membership_accept(membership=asked, side=NET, actor=manager)
    assert accepted.status == "active" and accepted.started_at is not None
    assert mailoutbox[1].to == [alfa.board_email]
    assert "http://alfa.noaber.test:8000/netwerken/" in mailoutbox[1].body
    anna = board(alfa).pk
    assert audit(alfa) == [
        ("networks.membership_requested", anna, "Netwerk SAMEN030"),
        ("networks.membership_accepted", None, "Netwerk SAMEN030"),
    ]
    assert audit(beta) == []


def test_an_invitation_accepted_by_the_board_records_its_sharing_choices(
    alfa, beta, networks, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.membership_invite(
            network=networks.samen030, cooperative=alfa.cooperative, user=manager
        )
    assert (invited.status, invited.share_groups) == ("invited", [])
    [mail] = mailoutbox
    assert mail.to == [alfa.board_email]
    assert "http://alfa.noaber.test:8000/netwerken/" in mail.body

    with django_capture_on_commit_callbacks(execute=True):
        member = services.membership_accept(
            membership=invited,
            side=COOP,
            actor=board(alfa),
            sharing=Sharing(("feedback",), on_map=False, share_with_parent=False),
            adopting=adopted(),
        )
    assert (member.status, member.share_groups, member.on_map) == ("active", ["feedback"], False)
    assert mailoutbox[1].to == ["beheer@samen030.nl"] and NETWORK_PAGE in mailoutbox[1].body
    with schema_context(alfa.schema):
        entry = AuditEntry.objects.get(action="networks.membership_accepted")
    assert entry.actor_id == board(alfa).pk
    assert entry.changes["share_groups"] == [[], ["feedback"]]
    # The decision that decided it names the membership it put into effect.
    with schema_context(alfa.schema):
        decision = Decision.objects.select_related("body").get(number=entry.changes["decision"])
    assert (decision.kind, decision.body.kind) == ("network", "general_board")
    assert decision.effects == [
        {"kind": "network", "id": invited.pk, "label": "Lidmaatschap van SAMEN030"}
    ]


def test_joining_needs_the_decision_of_the_body_the_statutes_name(alfa, beta, networks, manager):
    with schema_context(alfa.schema):
        decisions_before = Decision.objects.count()
    for adopting in ({}, {"decision": None}):
        with pytest.raises(ValidationError) as caught:
            services.membership_request(
                cooperative=alfa.cooperative,
                network=networks.samen030,
                sharing=Sharing(("help",)),
                actor=board(alfa),
                adopting=adopting,
            )
        assert code_of(caught.value) == "decision_required"
    invited = services.membership_invite(
        network=networks.rijnmond,
        cooperative=alfa.cooperative,
        user=network_user(networks.rijnmond),
    )
    refused("decision_required", services.membership_accept, membership=invited, side=COOP,
            actor=board(alfa), sharing=NOTHING, adopting={})  # fmt: skip
    assert not Membership.objects.filter(network=networks.samen030).exists()
    invited.refresh_from_db()
    assert invited.status == "invited"
    with schema_context(alfa.schema):
        assert Decision.objects.count() == decisions_before
        # Where the ALV decides on networks, a decision from the register is the ALV's.
        Statutes.objects.update(network_decided_by="alv")
        alv = decided("network")
    joined = services.membership_request(
        cooperative=alfa.cooperative,
        network=networks.samen030,
        sharing=Sharing(("help",)),
        actor=board(alfa),
        adopting={"decision": alv},
    )
    assert joined.status == "requested"
    with schema_context(alfa.schema):
        alv.refresh_from_db()
        assert alv.body.kind == "alv"
        assert [e["id"] for e in alv.effects] == [joined.pk]


def test_the_wrong_side_cannot_answer_and_nothing_is_written(alfa, beta, networks, manager):
    asked = request(alfa, networks.samen030)
    invited = services.membership_invite(
        network=networks.samen030, cooperative=beta.cooperative, user=manager
    )
    before = list(Membership.objects.values_list("pk", "status", "started_at"))
    log = audit(alfa), audit(beta)

    # The cooperative cannot accept its own request, nor the network its own invitation.
    refused("not_invited", services.membership_accept, membership=asked, side=COOP,
            actor=board(alfa), sharing=NOTHING)  # fmt: skip
    refused("not_requested", services.membership_accept, membership=invited, side=NET,
            actor=manager)  # fmt: skip
    refused("not_requested", services.membership_decline, membership=invited, side=NET,
            actor=manager)  # fmt: skip
    # An analyst of the network, or a manager of another network, cannot answer.
    analyst = network_user(networks.samen030, role="analyst")
    stranger = network_user(networks.rijnmond)
    for user in (analyst, stranger):
        refused("not_manager", services.membership_accept, membership=asked, side=NET,
                actor=user)  # fmt: skip
        refused("not_manager", services.membership_invite, network=networks.samen030,
                cooperative=alfa.cooperative, user=user)  # fmt: skip

    assert list(Membership.objects.values_list("pk", "status", "started_at")) == before
    assert (audit(alfa), audit(beta)) == log


def test_one_open_question_at_a_time_each_refusal_named(alfa, beta, networks, manager):
    request(alfa, networks.samen030)
    refused("already_requested", request, alfa, networks.samen030)
    refused("already_requested", services.membership_invite, network=networks.samen030,
            cooperative=alfa.cooperative, user=manager)  # fmt: skip
    services.membership_invite(network=networks.samen030, cooperative=beta.cooperative,
                               user=manager)  # fmt: skip
    refused("already_invited", request, beta, networks.samen030)
    membership_make(networks.rijnmond, alfa.cooperative)
    refused("already_member", request, alfa, networks.rijnmond)
    refused("unknown_group", request, beta, networks.rijnmond, groups=("help", "names"))
    assert Membership.objects.filter(cooperative=alfa.cooperative).count() == 2
    assert not Membership.objects.filter(
        cooperative=beta.cooperative, network=networks.rijnmond
    ).exists()
    # Only the invitation is in beta's log: none of the refused requests.
    assert [a for a, _actor, _s in audit(beta)] == ["networks.membership_invited"]


def test_a_closed_cooperative_cannot_be_invited(alfa, beta, networks, manager):
    closed = type(alfa.cooperative).objects.get(pk=alfa.cooperative.pk)
    closed.status = "suspended"
    refused("closed", services.membership_invite, network=networks.samen030,
            cooperative=closed, user=manager)  # fmt: skip
    assert not Membership.objects.exists()


def test_sharing_changes_and_withdraws_at_any_time(
    alfa, beta, networks, manager, mailoutbox, django_capture_on_commit_callbacks
):
    member = membership_make(networks.samen030, alfa.cooperative, groups=("help", "points"))
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.membership_sharing_change(
            membership=member,
            sharing=Sharing(("points",), on_map=True, share_with_parent=False),
            actor=board(alfa),
        )
    assert (changed.share_groups, changed.share_with_parent) == (["points"], False)
    assert NETWORK_PAGE in mailoutbox[0].body
    withdrawn = services.membership_sharing_change(
        membership=member, sharing=NOTHING, actor=board(alfa)
    )
    assert (withdrawn.status, withdrawn.share_groups, withdrawn.on_map) == ("active", [], False)
    assert [a for a, _actor, _s in audit(alfa)] == ["networks.sharing_changed"] * 2
    # Rijnmond has no network above it: sharing upwards cannot be switched on there.
    other = membership_make(networks.rijnmond, alfa.cooperative, share_with_parent=False)
    kept = services.membership_sharing_change(
        membership=other, sharing=Sharing(("help",), True, True), actor=board(alfa)
    )
    assert kept.share_with_parent is False
    refused("unknown_group", services.membership_sharing_change, membership=other,
            sharing=Sharing(("everything",)), actor=board(alfa))  # fmt: skip
    other.refresh_from_db()
    assert other.share_groups == ["help"]


def test_declining_and_ending_from_either_side(
    alfa, beta, networks, manager, mailoutbox, django_capture_on_commit_callbacks
):
    invited = services.membership_invite(
        network=networks.samen030, cooperative=alfa.cooperative, user=manager
    )
    declined = services.membership_decline(membership=invited, side=COOP, actor=board(alfa))
    assert declined.status == "declined" and declined.ended_at is not None
    # Declined: the network may ask again, and this time the cooperative is a member.
    member = membership_make(networks.samen030, alfa.cooperative)
    with django_capture_on_commit_callbacks(execute=True):
        ended = services.membership_end(membership=member, side=NET, actor=manager)
    assert ended.status == "ended" and ended.ended_at is not None
    assert mailoutbox[-1].to == [alfa.board_email]
    refused("not_member", services.membership_end, membership=member, side=COOP,
            actor=board(alfa))  # fmt: skip
    refused("not_member", services.membership_sharing_change, membership=member,
            sharing=NOTHING, actor=board(alfa))  # fmt: skip
    # The cooperative withdraws its own request; it cannot "end" the network's invitation.
    asked = request(beta, networks.rijnmond)
    assert services.membership_end(membership=asked, side=COOP, actor=board(beta)).status == (
        "ended"
    )
    invited = services.membership_invite(
        network=networks.samen030, cooperative=beta.cooperative, user=manager
    )
    refused("not_member", services.membership_end, membership=invited, side=COOP,
            actor=board(beta))  # fmt: skip
    assert [a for a, _actor, _s in audit(alfa)] == [
        "networks.membership_invited",
        "networks.membership_declined",
        "networks.membership_ended",
    ]


def test_ending_a_membership_ends_the_networks_sponsorship_too(
    alfa, beta, networks, manager, stripe_standin, django_capture_on_commit_callbacks
):
    from billing.sponsorship.services import sponsorship_start
    from billing.subscriptions.models import Plan

    Plan.objects.filter(code="tot150").update(stripe_product_id="prod_k", stripe_price_id="price_k")
    member = membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    with django_capture_on_commit_callbacks(execute=True):
        sponsorship_start(network=networks.samen030, cooperative=alfa.cooperative,
                          plan=Plan.objects.get(code="tot150"), actor_id=None)  # fmt: skip
        sponsorship_start(network=networks.samen030, cooperative=beta.cooperative,
                          plan=None, actor_id=None)  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_end(membership=member, side=COOP, actor=board(alfa))

    running = Sponsorship.objects.filter(ended_at__isnull=True)
    assert [s.cooperative_id for s in running] == [beta.cooperative.pk]
    [sub] = stripe_standin.subscriptions.values()
    assert sub["quantity"] == 1
    with schema_context(alfa.schema):
        assert AuditEntry.objects.filter(
            action="billing.sponsorship_ended", actor_id=board(alfa).pk
        ).exists()
