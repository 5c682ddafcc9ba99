"""The menu on every page: for every role in both cooperatives it shows exactly the pages the
permission layer lets the member open (and that apply under the cooperative's rules), every link
in it opens, every item it leaves out is refused or does not apply, and the page one is on is
marked. `alfa` runs the Oost rules (free services and paid klussen), `beta` the WIJ rules
(points)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import resolve
from django_tenants.utils import schema_context

from cooperatives.members.selectors import member_for_user
from shared import navigation, permissions
from tests.clients import logged_in_client
from tests.factories import MemberFactory, NeighbourhoodFactory

ROLES = [
    None,
    "volunteer",
    "neighbourhood_assistant",
    "coordinator",
    "board_chair",
    "board_secretary",
    "board_treasurer",
    "board_general",
    "audit_committee",
    "administrator",
]


class MenuParser(HTMLParser):
    """The links of the menu (``<nav class="menu">``): (href, label, marked current)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, bool]] = []
        self.summary = False
        self._depth = 0  # open <nav> elements since the menu began
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "summary" and "menu-button" in (a.get("class") or ""):
            self.summary = True
        if tag == "nav" and (self._depth or "menu" in (a.get("class") or "").split()):
            self._depth += 1
        if tag == "a" and self._depth:
            self._link = [a["href"], "", a.get("aria-current") == "page"]

    def handle_endtag(self, tag):
        if tag == "nav" and self._depth:
            self._depth -= 1
        if tag == "a" and self._link is not None:
            href, label, current = self._link
            self.links.append((href, " ".join(label.split()), current))
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data


def menu_of(html: str) -> MenuParser:
    parser = MenuParser()
    parser.feed(html)
    return parser


def page_path(href: str) -> str:
    return href.split("#", 1)[0]


def member_with(coop, role):
    if role is None:
        return MemberFactory(schema=coop.schema, name="Gewoon Lid")
    buurt = NeighbourhoodFactory(schema=coop.schema, name=f"Buurt van {role}", postcodes=["3581"])
    assists = [buurt] if role == "neighbourhood_assistant" else []
    return MemberFactory(schema=coop.schema, roles=[role], neighbourhood=buurt, assists=assists)


def view_action(path: str) -> str | None:
    return resolve(path.split("?", 1)[0]).func.permission_action


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "member")
@pytest.mark.parametrize("coop_name", ["alfa", "beta"])
def test_menu_holds_exactly_what_the_role_may_open(coops, db, coop_name, role):
    coop = coops[coop_name]
    member = member_with(coop, role)
    client = logged_in_client(coop, member=member)
    menu = menu_of(client.get("/").content.decode())
    shown = {(href, label) for href, label, _current in menu.links}
    assert menu.summary, "one menu button for a phone"
    assert ("/mijn-gegevens/", "Mijn gegevens") in shown
    with schema_context(coop.schema):
        context = navigation.Context(None, member_for_user(member.user))
        expected = {
            (item.href(), str(item.label)): item
            for item in navigation.items()
            if navigation.item_shown(item, context)
        }
        hidden = [
            item for item in navigation.items() if (item.href(), str(item.label)) not in shown
        ]
    assert shown == set(expected)

    # Every link opens, and on its page the menu marks that one page as current.
    for href, label in sorted(shown):
        response = client.get(href)
        assert response.status_code == 200, (href, label)
        marked = [h for h, _label, current in menu_of(response.content.decode()).links if current]
        assert len(marked) == 1, (href, marked)
        assert page_path(marked[0]) == page_path(href)

    # What is left out is refused by the page, or does not apply to this member here.
    for item in hidden:
        page = view_action(item.path())
        with schema_context(coop.schema):
            loaded = member_for_user(member.user)
            page_allowed = page is None or permissions.can(loaded, page)
            item_allowed = navigation.item_allowed(item, navigation.Context(None, loaded))
        if not page_allowed:
            assert client.get(item.path()).status_code == 403, item.key
        elif not item_allowed:
            # The page is open to every member; the item names a use only some roles have
            # ("Hulp aanbieden" for volunteers), so for this member it does not apply.
            assert item.action != page, item.key
        else:
            assert item.applies is not None, item.key
            with schema_context(coop.schema):
                assert not item.applies(navigation.Context(None, loaded)), item.key


def test_no_item_leads_to_a_page_that_refuses_whom_it_is_shown_to(coops, db):
    """Structurally: whoever the permission layer shows an item may open its page (the item's
    action asks as much as the page's view, or more)."""
    everyone = permissions.ACTIONS["marketplace.view"]
    for item in navigation.items():
        page = view_action(item.path())
        item_roles = permissions.ACTIONS[item.action] if item.action else everyone
        page_roles = permissions.ACTIONS[page] if page else everyone
        assert permissions.MEMBER in page_roles or item_roles <= page_roles, item.key


def test_points_only_where_the_rules_pay_points_and_klussen_only_where_they_pay_euros(alfa, beta):
    board_alfa = {
        label for _h, label, _c in menu_of(logged_in_client(alfa).get("/").content.decode()).links
    }
    board_beta = {
        label for _h, label, _c in menu_of(logged_in_client(beta).get("/").content.decode()).links
    }
    assert {"Mijn punten", "Punten geven", "Punten van de coöperatie"}.isdisjoint(board_alfa)
    assert {"Mijn klussen", "Vrijwilligersvergoeding"} <= board_alfa
    assert {"Mijn punten", "Punten geven", "Punten van de coöperatie"} <= board_beta
    assert {"Mijn klussen", "Vrijwilligersvergoeding", "Stripe-account voor klussen"}.isdisjoint(
        board_beta
    )


def test_the_menu_is_for_members_only(alfa, apex_client):
    """The login page and the apex have no menu: nothing to show a visitor."""
    from tests.clients import client_for

    assert not menu_of(client_for(alfa.host).get("/inloggen/").content.decode()).links
    assert not menu_of(apex_client.get("/").content.decode()).links


def test_the_current_page_is_marked_also_on_a_page_with_a_query(alfa):
    coordinator = MemberFactory(schema=alfa.schema, roles=["coordinator"])
    client = logged_in_client(alfa, member=coordinator)
    all_services = menu_of(client.get("/diensten/?alle=1").content.decode())
    assert [h for h, _l, current in all_services.links if current] == ["/diensten/?alle=1"]
    mine = menu_of(client.get("/diensten/").content.decode())
    assert [h for h, _l, current in mine.links if current] == ["/diensten/"]
    # A page the menu does not list marks nothing.
    detail = menu_of(client.get("/mijn-gegevens/bewerken/").content.decode())
    assert not [h for h, _l, current in detail.links if current]


def test_registering_an_unknown_group_or_action_fails_loudly():
    with pytest.raises(KeyError):
        navigation.item_register(
            navigation.Item(key="x", group="nergens", label="X", url_name="home")
        )
    with pytest.raises(KeyError):
        navigation.item_register(
            navigation.Item(key="x", group="mine", label="X", url_name="home", action="geen.actie")
        )
    assert "x" not in {item.key for item in navigation.items()}
