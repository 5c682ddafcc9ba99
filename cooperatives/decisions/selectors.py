"""Reads of the decisions register (besluitenlijst) and the minutes, for the pages and the API.
The register itself is the governance app's; this package shows it and links each decision to
what it put into effect."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cooperatives.governance.models import Body, Decision, Minutes
from cooperatives.governance.selectors import body_deciding
from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_diff_readable, rulebook_values
from cooperatives.rules.services import rulebook_diff


def decisions_open_for(*, subject: str, effect_kind: str) -> QuerySet[Decision]:
    """Adopted decisions of the body the statutes name for ``subject`` that may still put
    something of ``effect_kind`` into effect: not final, and nothing of that kind yet."""
    qs = Decision.objects.select_related("body").filter(
        body=body_deciding(subject=subject),
        outcome=Decision.Outcome.ADOPTED,
        final_at__isnull=True,
    )
    qs = qs.exclude(effects__contains=[{"kind": effect_kind}])
    if effect_kind == "rulebook":
        qs = qs.filter(rulebooks__isnull=True)
    return qs.order_by("-decided_on", "-sequence")


def decision_get(*, pk: int) -> Decision | None:
    return Decision.objects.select_related("body", "minutes", "corrects").filter(pk=pk).first()


def decision_get_by_number(*, number: str) -> Decision | None:
    return (
        Decision.objects.select_related("body", "minutes", "corrects").filter(number=number).first()
    )


def register_years() -> list[int]:
    return list(Decision.objects.order_by("-year").values_list("year", flat=True).distinct())


def register_list(*, year: int | None = None, body: Body | None = None) -> QuerySet[Decision]:
    """The register, newest first, with what a page needs per row."""
    qs = Decision.objects.select_related("body", "corrects").prefetch_related(
        "corrections", "rulebooks"
    )
    if year is not None:
        qs = qs.filter(year=year)
    if body is not None:
        qs = qs.filter(body=body)
    return qs.order_by("-year", "-sequence")


def decision_rulebook_changes(*, decision: Decision) -> list[dict[str, Any]]:
    """For each rulebook version the decision adopted: the version and what it changed
    against the version before it (the same rows the rules preview shows)."""
    out = []
    for rulebook in Rulebook.objects.filter(decision=decision).order_by("version"):
        previous = (
            Rulebook.objects.filter(version__lt=rulebook.version).order_by("-version").first()
        )
        diff = rulebook_diff(
            old=rulebook_values(rulebook=previous), new=rulebook_values(rulebook=rulebook)
        )
        out.append({"rulebook": rulebook, "rows": rulebook_diff_readable(changes=diff)})
    return out


def minutes_get(*, pk: int) -> Minutes | None:
    return Minutes.objects.select_related("body", "approved_by").filter(pk=pk).first()


def minutes_for_reader(*, can_manage: bool) -> QuerySet[Minutes]:
    """Members read approved minutes; the secretary also sees drafts and sent ones."""
    qs = Minutes.objects.select_related("body", "approved_by")
    if not can_manage:
        qs = qs.filter(status=Minutes.Status.APPROVED)
    return qs.order_by("-held_on", "-id")


def minutes_approval_candidates(*, minutes: Minutes) -> QuerySet[Decision]:
    """Adopted decisions of kind "minutes" that do not yet approve other minutes."""
    return (
        Decision.objects.select_related("body")
        .filter(kind=Decision.Kind.MINUTES, outcome=Decision.Outcome.ADOPTED)
        .filter(Q(approves_minutes__isnull=True))
        .order_by("-decided_on", "-sequence")
    )
