"""The menu on every page of a cooperative's subdomain, and the home page's "Wat vraagt uw
aandacht": a registry that the feature apps fill when Django starts.

``shared`` knows no feature app, so it holds only the shape: the menu's groups (what people come
to do), and what each app registers in its ``AppConfig.ready()`` (through a ``navigation.py``
module of its own feature packages):

- menu items (``item_register``): a label, the URL name of the page, the permission action the
  page's view declares, and optionally a test whether the item applies here at all (no "Mijn
  punten" where the rules pay no points);
- attention providers (``attention_register``): what waits for the member, each task with the
  link to the page where it is done.

Whether a member may use a page is asked of the one permission layer (``shared.permissions``),
with the same action as the page's view, so the menu never leads to a page that refuses the
member. A context processor (``navigation``, in settings) builds the menu once per request.

    item_register(
        Item(key="points.mine", group="points", label=_("Mijn punten"), url_name="points-mine",
             action="points.use", applies=rules_pay_points),
    )
    attention_register(key="points.approve", provider=payments_to_approve, action="points.use")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from shared import permissions

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

T = TypeVar("T")


@dataclass(frozen=True)
class Group:
    """One heading of the menu: what people come to do."""

    key: str
    label: StrOrPromise


# In this order on every page. A group shows only when one of its items is there for the member.
GROUPS: tuple[Group, ...] = (
    Group("start", _("Beginpagina")),
    Group("ask", _("Hulp vragen")),
    Group("help", _("Helpen")),
    Group("appointments", _("Mijn afspraken")),
    Group("points", _("Mijn punten")),
    Group("klussen", _("Mijn klussen")),
    Group("mine", _("Mijn gegevens")),
    Group("cooperative", _("De coöperatie")),
    Group("govern", _("Meebeslissen")),
    Group("coordinate", _("Coördineren")),
    Group("board", _("Bestuur")),
)
GROUP_KEYS = frozenset(group.key for group in GROUPS)


class Context:
    """What the menu and the attention providers know of a request: the member, what they may
    (asked of the permission layer), and facts computed once per request (``memo``), such as
    the rules in force, which several items ask about."""

    def __init__(self, request: HttpRequest | None, member: Any) -> None:
        self.request = request
        # Typed Any, as in ``permissions.current_member``: the class belongs to a feature app.
        self.member = member
        self._memo: dict[str, Any] = {}

    def can(self, action: str) -> bool:
        return permissions.can(self.member, action)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per request under ``key``: a fact several items ask about."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value


Applies = Callable[[Context], bool]


@dataclass(frozen=True)
class Item:
    """A link in the menu. ``action`` is the permission action the page's view declares (None:
    any active member); ``applies`` says whether the page means anything here (the rules in
    force, the member's situation). ``suggest`` puts it among "what you can do" on the home page
    when nothing waits."""

    key: str
    group: str
    label: StrOrPromise
    url_name: str
    action: str | None = None
    applies: Applies | None = None
    query: str = ""
    fragment: str = ""
    order: int = 100
    suggest: bool = False

    def path(self) -> str:
        path = reverse(self.url_name)
        return f"{path}?{self.query}" if self.query else path

    def href(self) -> str:
        return f"{self.path()}#{self.fragment}" if self.fragment else self.path()


@dataclass(frozen=True)
class Attention:
    """One task for the member: a sentence saying what waits, and the link to the page where it
    is done, named for the deed ("Uren registreren"). ``deadline`` is shown; ``when`` (the day it
    is about) orders the list, soonest first."""

    kind: str
    text: str
    url: str
    link_label: str
    deadline: dt.date | None = None
    when: dt.date | None = None


AttentionProvider = Callable[[Context], Iterable[Attention]]


@dataclass(frozen=True)
class _Provider:
    key: str
    provider: AttentionProvider
    action: str | None
    order: int


_items: dict[str, Item] = {}
_providers: dict[str, _Provider] = {}


def item_register(*items: Item) -> None:
    """Add menu items (again under the same key replaces: ``ready()`` may run twice)."""
    for item in items:
        if item.group not in GROUP_KEYS:
            raise KeyError(f"Unknown menu group {item.group!r}: see shared.navigation.GROUPS")
        if item.action is not None and item.action not in permissions.ACTIONS:
            raise KeyError(f"Unknown action {item.action!r}: add it to shared.permissions.ACTIONS")
        _items[item.key] = item


def attention_register(
    *, key: str, provider: AttentionProvider, action: str | None = None, order: int = 100
) -> None:
    """Add what waits for a member. The provider runs only for members the permission layer
    allows ``action``, and must read with a fixed number of queries, however much waits."""
    if action is not None and action not in permissions.ACTIONS:
        raise KeyError(f"Unknown action {action!r}: add it to shared.permissions.ACTIONS")
    _providers[key] = _Provider(key, provider, action, order)


def items() -> list[Item]:
    """Every registered item, in menu order."""
    order = {group.key: i for i, group in enumerate(GROUPS)}
    return sorted(_items.values(), key=lambda i: (order[i.group], i.order, i.key))


def item_allowed(item: Item, context: Context) -> bool:
    """The permission layer lets the member open the item's page."""
    return item.action is None or context.can(item.action)


def item_applies(item: Item, context: Context) -> bool:
    return item.applies is None or item.applies(context)


def item_shown(item: Item, context: Context) -> bool:
    return item_allowed(item, context) and item_applies(item, context)


# --- the menu of one request ---------------------------------------------------------------------


@dataclass
class MenuLink:
    key: str
    label: StrOrPromise
    href: str
    current: bool = False


@dataclass
class MenuGroup:
    key: str
    label: StrOrPromise
    links: list[MenuLink] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)

    @property
    def single(self) -> MenuLink | None:
        """The one link of a group that holds only its namesake ("Mijn afspraken"): shown as
        that link instead of a heading over it."""
        if len(self.links) == 1 and str(self.links[0].label) == str(self.label):
            return self.links[0]
        return None


@dataclass
class Menu:
    groups: list[MenuGroup]
    suggestions: list[MenuLink]

    def links(self) -> list[MenuLink]:
        return [link for group in self.groups for link in group.links]


def _mark_current(links: list[MenuLink], request: HttpRequest) -> None:
    """``aria-current="page"`` on the one link to this very page: the link whose address is the
    page's (with its query: "Alle afspraken" is /diensten/?alle=1), else the first link to the
    page's path without a query of its own."""
    full, path = request.get_full_path(), request.path

    def target(link: MenuLink) -> str:
        return link.href.split("#", 1)[0]

    match = next((link for link in links if target(link) == full), None)
    if match is None:
        match = next((link for link in links if target(link) == path), None)
    if match is not None:
        match.current = True


def menu_build(context: Context) -> Menu:
    groups = {group.key: MenuGroup(group.key, group.label) for group in GROUPS}
    suggestions = []
    for item in items():
        if not item_shown(item, context):
            continue
        link = MenuLink(item.key, item.label, item.href())
        groups[item.group].links.append(link)
        if item.suggest:
            suggestions.append(link)
    menu = Menu([g for g in groups.values() if g.links], suggestions)
    if context.request is not None:
        _mark_current(menu.links(), context.request)
    return menu


def context_for(request: HttpRequest) -> Context | None:
    """The navigation context of the request's member (once per request), or None for a
    visitor who is no active member here (and on the apex)."""
    store = vars(request)
    if "_navigation_context" not in store:
        member = None
        if getattr(request, "cooperative", None) is not None:
            member = permissions.current_member(request)
        store["_navigation_context"] = Context(request, member) if member is not None else None
    found: Context | None = store["_navigation_context"]
    return found


def menu_for(request: HttpRequest) -> Menu | None:
    store = vars(request)
    if "_navigation_menu" not in store:
        context = context_for(request)
        store["_navigation_menu"] = menu_build(context) if context is not None else None
    menu: Menu | None = store["_navigation_menu"]
    return menu


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``menu`` for the base template (None for visitors), built when a
    template first reads it (pages that do not extend the base template cost nothing)."""
    return {"menu": SimpleLazyObject(lambda: menu_for(request))}


# --- what waits for the member -------------------------------------------------------------------


def attention_for(context: Context) -> list[Attention]:
    """Every task the providers find for the member, the soonest (or overdue) first; tasks
    without a day keep the providers' order after those."""
    found: list[tuple[int, Attention]] = []
    for entry in sorted(_providers.values(), key=lambda p: (p.order, p.key)):
        if entry.action is not None and not context.can(entry.action):
            continue
        found.extend((entry.order, task) for task in entry.provider(context))
    far = dt.date.max

    def key(row: tuple[int, Attention]) -> tuple[dt.date, int]:
        order, task = row
        return (task.deadline or task.when or far, order)

    return [task for _order, task in sorted(found, key=key)]


__all__ = [
    "GROUPS",
    "Applies",
    "Attention",
    "Context",
    "Group",
    "Item",
    "Menu",
    "attention_for",
    "attention_register",
    "context_for",
    "item_allowed",
    "item_applies",
    "item_register",
    "item_shown",
    "items",
    "menu_for",
    "navigation",
]
