"""The membership pages, both sides: the board's Netwerken page on the cooperative's subdomain
(ask to join, answer an invitation with what it shares, change or withdraw that, end) and the
network manager's page on the apex (answer requests, invite, end). A board of beta cannot touch
alfa's memberships; an analyst cannot manage; a manager of Rijnmond sees nothing of SAMEN030."""

from __future__ import annotations

import html

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from shared.audit.models import AuditEntry
from tenants.networks import services
from tenants.networks.models import Membership
from tests.clients import logged_in_client, network_client
from tests.factories import MemberFactory, membership_make, network_user

LEDEN = "/netwerk/samen030/leden/"
# A decision recorded on the spot (unanimous), as the board fills in the form.
DECIDED = {"decided_on": timezone.localdate().strftime("%d-%m-%Y"), "votes": "unanimous"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def board(coop) -> Member:
    with schema_context(coop.schema):
        return Member.objects.get(email=coop.board_email)


def snapshot():
    return list(
        Membership.objects.order_by("pk").values_list(
            "pk", "status", "share_groups", "on_map", "share_with_parent", "ended_at"
        )
    )


def log(coop) -> list[str]:
    with schema_context(coop.schema):
        return list(
            AuditEntry.objects.filter(action__startswith="networks.")
            .order_by("pk")
            .values_list("action", flat=True)
        )


@pytest.fixture
def manager(networks):
    return network_user(networks.samen030)


def test_the_board_asks_to_join_and_the_manager_accepts(
    alfa, beta, networks, manager, mailoutbox, django_capture_on_commit_callbacks
):
    client = logged_in_client(alfa)
    page = text(client.get("/netwerken/"))
    assert "Wat een netwerk ziet, en wat nooit" in page
    assert "Een netwerk ziet nooit persoonsgegevens" in page
    assert "SAMEN030" in page and "500WIJKCOÖPERATIES" in page  # networks to ask, with parent
    form = text(client.get("/netwerken/aanvragen/?netwerk=samen030"))
    assert "Dezelfde cijfers ook delen met 500WIJKCOÖPERATIES" in form
    assert "Volgens de statuten besluit" in form and 'name="decided_on"' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/netwerken/aanvragen/",
            {
                "network": networks.samen030.pk,
                "share_groups": ["help", "feedback"],
                "on_map": "on",
                "message": "Wij zijn een buurtcoöperatie in Oost.",
                **DECIDED,
            },
        )
    assert response.status_code == 302 and response["Location"] == "/netwerken/"
    asked = Membership.objects.get(cooperative=alfa.cooperative)
    assert (asked.status, asked.share_groups, asked.on_map, asked.share_with_parent) == (
        "requested", ["help", "feedback"], True, False,
    )  # fmt: skip
    assert "/netwerk/samen030/leden/" in mailoutbox[0].body

    manager_page = network_client(manager)
    listing = text(manager_page.get(LEDEN))
    assert "Wijkcoöperatie Alfa" in listing and "Hulp, Waardering" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_page.post(f"{LEDEN}{asked.pk}/aanvaarden/")
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "active"
    assert "/netwerken/" in mailoutbox[1].body and mailoutbox[1].to == [alfa.board_email]
    assert "Lid sinds" in text(manager_page.get(LEDEN))
    assert log(alfa) == ["networks.membership_requested", "networks.membership_accepted"]


def test_the_manager_invites_and_the_board_accepts_with_its_choices(
    alfa, beta, networks, manager, mailoutbox, django_capture_on_commit_callbacks
):
    manager_page = network_client(manager)
    found = text(manager_page.get(LEDEN, {"q": "alfa"}))
    assert "Wijkcoöperatie Alfa uitnodigen" in found
    assert "WIJ-coöperatie Beta" not in found
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_page.post(f"{LEDEN}uitnodigen/", {"cooperative": "alfa"})
    assert response.status_code == 302
    invited = Membership.objects.get(cooperative=alfa.cooperative)
    assert invited.status == "invited"
    [mail] = mailoutbox
    assert "/netwerken/" in mail.body and mail.to == [alfa.board_email]

    client = logged_in_client(alfa)
    # The board's home page says an invitation waits, with the link to answer it.
    home = text(client.get("/"))
    assert "SAMEN030 nodigt de coöperatie uit" in home
    assert f"/netwerken/{invited.pk}/delen/" in home
    assert "Kiezen wat u deelt en aanvaarden" in text(client.get("/netwerken/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/netwerken/{invited.pk}/delen/",
            {"share_groups": ["members"], "share_with_parent": "on", **DECIDED},
        )
    assert response.status_code == 302
    invited.refresh_from_db()
    assert (invited.status, invited.share_groups, invited.share_with_parent, invited.on_map) == (
        "active", ["members"], True, False,
    )  # fmt: skip
    assert mailoutbox[1].to == [manager.email] and LEDEN in mailoutbox[1].body
    assert "SAMEN030 nodigt" not in text(client.get("/"))


def test_the_board_declines_changes_withdraws_and_ends(alfa, beta, networks, manager):
    invited = services.membership_invite(
        network=networks.rijnmond,
        cooperative=alfa.cooperative,
        user=network_user(networks.rijnmond),
    )
    client = logged_in_client(alfa)
    assert client.post(f"/netwerken/{invited.pk}/afwijzen/").status_code == 302
    invited.refresh_from_db()
    assert invited.status == "declined"

    member = membership_make(networks.samen030, alfa.cooperative, groups=("help", "points"))
    page = text(client.get(f"/netwerken/{member.pk}/delen/"))
    assert "volgende nachtelijke berekening" in page
    client.post(f"/netwerken/{member.pk}/delen/", {"share_groups": ["points"]})
    member.refresh_from_db()
    assert (member.share_groups, member.on_map, member.share_with_parent) == (
        ["points"], False, False,
    )  # fmt: skip
    # Withdraw everything while staying a member.
    client.post(f"/netwerken/{member.pk}/delen/", {})
    member.refresh_from_db()
    assert (member.status, member.share_groups) == ("active", [])
    assert "Hulp" not in text(network_client(manager).get(LEDEN)).split("Leden")[1]

    client.post(f"/netwerken/{member.pk}/beeindigen/")
    member.refresh_from_db()
    assert member.status == "ended"
    assert log(alfa) == [
        "networks.membership_invited",
        "networks.membership_declined",
        "networks.sharing_changed",
        "networks.sharing_changed",
        "networks.membership_ended",
    ]


def test_the_manager_declines_a_request_and_ends_a_membership(alfa, beta, networks, manager):
    asked = services.membership_request(
        cooperative=beta.cooperative,
        network=networks.samen030,
        sharing=services.NOTHING,
        actor=board(beta),
        adopting={"decided_on": timezone.localdate()},
    )
    member = membership_make(networks.samen030, alfa.cooperative)
    client = network_client(manager)
    client.post(f"{LEDEN}{asked.pk}/afwijzen/")
    client.post(f"{LEDEN}{member.pk}/beeindigen/")
    asked.refresh_from_db()
    member.refresh_from_db()
    assert (asked.status, member.status) == ("declined", "ended")
    history = text(client.get(LEDEN)).split("Eerder")[1]
    assert "WIJ-coöperatie Beta" in history and "Wijkcoöperatie Alfa" in history


def test_a_refused_invitation_says_why_and_writes_nothing(alfa, beta, networks, manager):
    membership_make(networks.samen030, alfa.cooperative)
    before = snapshot()
    response = network_client(manager).post(f"{LEDEN}uitnodigen/", {"cooperative": "alfa"})
    assert response.status_code == 400
    assert "Wijkcoöperatie Alfa is al lid van SAMEN030." in text(response)
    assert snapshot() == before
    # A refused request on the cooperative's side: an unknown group.
    response = logged_in_client(beta).post(
        "/netwerken/aanvragen/",
        {"network": networks.samen030.pk, "share_groups": ["names"], **DECIDED},
    )
    assert response.status_code == 400
    # Without the decision that decides it.
    response = logged_in_client(beta).post(
        "/netwerken/aanvragen/", {"network": networks.samen030.pk, "share_groups": ["help"]}
    )
    assert response.status_code == 400
    assert "Deze wijziging gaat pas in met een besluit" in text(response)
    assert snapshot() == before and log(beta) == []


def test_the_board_of_beta_cannot_touch_alfas_membership(alfa, beta, networks):
    member = membership_make(networks.samen030, alfa.cooperative, groups=("help",))
    before = snapshot()
    client = logged_in_client(beta)
    assert client.get(f"/netwerken/{member.pk}/delen/").status_code == 404
    assert client.post(f"/netwerken/{member.pk}/delen/", {}).status_code == 404
    assert client.post(f"/netwerken/{member.pk}/beeindigen/").status_code == 404
    assert client.post(f"/netwerken/{member.pk}/afwijzen/").status_code == 404
    assert "SAMEN030" not in text(client.get("/netwerken/")).split("Aansluiten")[0]
    assert snapshot() == before and log(alfa) == [] and log(beta) == []


def test_only_the_board_manages_networks(alfa, beta, networks):
    member = membership_make(networks.samen030, alfa.cooperative)
    plain = MemberFactory(schema=alfa.schema, name="Gewoon Lid")
    client = logged_in_client(alfa, member=plain)
    assert client.get("/netwerken/").status_code == 403
    assert client.post(f"/netwerken/{member.pk}/beeindigen/").status_code == 403
    assert 'href="/netwerken/"' not in text(client.get("/"))
    assert 'href="/netwerken/"' in text(logged_in_client(alfa).get("/"))
    member.refresh_from_db()
    assert member.status == "active"


def test_an_analyst_cannot_manage_memberships(alfa, beta, networks):
    asked = services.membership_request(
        cooperative=alfa.cooperative,
        network=networks.samen030,
        sharing=services.NOTHING,
        actor=board(alfa),
        adopting={"decided_on": timezone.localdate()},
    )
    before = snapshot()
    analyst = network_client(network_user(networks.samen030, role="analyst"))
    assert analyst.get(LEDEN).status_code == 403
    assert analyst.post(f"{LEDEN}{asked.pk}/aanvaarden/").status_code == 403
    assert analyst.post(f"{LEDEN}uitnodigen/", {"cooperative": "beta"}).status_code == 403
    assert snapshot() == before


def test_a_manager_of_rijnmond_cannot_see_samen030s_requests(alfa, beta, networks):
    asked = services.membership_request(
        cooperative=alfa.cooperative,
        network=networks.samen030,
        sharing=services.NOTHING,
        actor=board(alfa),
        adopting={"decided_on": timezone.localdate()},
    )
    before = snapshot()
    rijnmond = network_client(network_user(networks.rijnmond))
    assert rijnmond.get(LEDEN).status_code == 404
    assert rijnmond.post(f"{LEDEN}{asked.pk}/aanvaarden/").status_code == 404
    # Through its own network's URL, SAMEN030's membership id is not found either.
    assert rijnmond.post(f"/netwerk/rijnmond/leden/{asked.pk}/aanvaarden/").status_code == 404
    assert "Wijkcoöperatie Alfa" not in text(rijnmond.get("/netwerk/rijnmond/leden/"))
    assert snapshot() == before


def test_the_network_menu_links_the_memberships_page_for_managers_only(alfa, networks, manager):
    assert 'href="/netwerk/samen030/leden/"' in text(network_client(manager).get(LEDEN))
    analyst = network_client(network_user(networks.samen030, role="analyst"))
    # Any page of the analyst's (the 403 page has no menu): the menu leaves it out.
    assert 'href="/netwerk/samen030/leden/"' not in text(analyst.get(LEDEN))


def test_the_pages_speak_english_too(alfa, networks, manager):
    client = logged_in_client(alfa)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(client.get("/netwerken/"))
    assert "What a network sees, and what it never sees" in page
    assert "A network never sees personal data" in page
    apex = network_client(manager)
    apex.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Member cooperatives of SAMEN030" in text(apex.get(LEDEN))
    assert "Sponsorship by SAMEN030" in text(apex.get("/netwerk/samen030/sponsoring/"))
