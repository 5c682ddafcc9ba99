"""The registry behind the menu and the home page's tasks (shared/navigation.py): apps
register items and providers once (again replaces), providers run only for members the
permission layer allows, and tasks come soonest first."""

from __future__ import annotations

import datetime as dt

from django_tenants.utils import schema_context

from cooperatives.members.selectors import member_for_user
from shared import navigation
from tests.factories import MemberFactory


def test_tasks_come_soonest_first_and_only_from_providers_the_member_may_use(alfa, monkeypatch):
    monkeypatch.setattr(navigation, "_providers", {})
    day = dt.date(2026, 5, 1)

    def task(kind, **days):
        return navigation.Attention(kind=kind, text=kind, url="/", link_label=kind, **days)

    navigation.attention_register(
        key="a",
        provider=lambda c: [task("undated"), task("later", when=day + dt.timedelta(days=3))],
        order=10,
    )
    navigation.attention_register(
        key="b", provider=lambda c: [task("deadline", deadline=day)], order=20
    )
    navigation.attention_register(
        key="c", provider=lambda c: [task("board")], action="member.erase", order=5
    )
    # Registering again under a key replaces (AppConfig.ready may run twice).
    navigation.attention_register(
        key="b", provider=lambda c: [task("deadline", deadline=day)], order=20
    )
    member = MemberFactory(schema=alfa.schema)
    with schema_context(alfa.schema):
        context = navigation.Context(None, member_for_user(member.user))
        assert [t.kind for t in navigation.attention_for(context)] == [
            "deadline",
            "later",
            "undated",
        ]
        board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
        context = navigation.Context(None, member_for_user(board.user))
        assert [t.kind for t in navigation.attention_for(context)][-2:] == ["board", "undated"]


def test_a_fact_is_computed_once_per_request(alfa):
    calls = []
    context = navigation.Context(None, None)
    for _ in range(3):
        assert context.memo("rules", lambda: calls.append(1) or "regels") == "regels"
    assert calls == [1]


def test_a_group_with_only_its_namesake_shows_as_that_link():
    link = navigation.MenuLink("x", "Mijn afspraken", "/diensten/")
    assert navigation.MenuGroup("appointments", "Mijn afspraken", [link]).single is link
    other = navigation.MenuLink("y", "Alle afspraken", "/diensten/?alle=1")
    assert navigation.MenuGroup("appointments", "Mijn afspraken", [link, other]).single is None
