"""What billing's actions in a cooperative's audit log mean, one sentence each: klussen in
euros, the volunteer allowance, the subscription and the cooperative's own Stripe account.
Registered from ``billing.apps`` (see ``shared.audit.sentences``).

A subscription's state is named by its one word (``Subscription.Status.word``), as everywhere.
Amounts are in the summaries the services wrote (the log keeps no other field for them).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.subscriptions.models import Plan, Subscription
from shared.audit.models import AuditEntry
from shared.audit.sentences import (
    AuditReader,
    Sentence,
    change_in_words,
    euros,
    sentence,
    summary_number,
)

_AMOUNT = r"€ (-?\d+(?:\.\d+)?)"


def _klus(template: Any) -> Sentence:
    """A sentence about klus number (target) and its amount, when the summary has one."""

    def render(entry: AuditEntry, reader: AuditReader) -> str:
        amount = summary_number(entry, _AMOUNT)
        return template % {
            "who": reader.who,
            "id": entry.target_id,
            "amount": euros(amount) if amount else "?",
        }

    return render


def _klus_record(entry: AuditEntry, reader: AuditReader) -> str:
    service = summary_number(entry, r"dienst #(\d+)")
    amount = summary_number(entry, _AMOUNT)
    return _("Klus %(id)s voor dienst %(service)s is vastgelegd: %(amount)s te betalen.") % {
        "id": entry.target_id,
        "service": service or "?",
        "amount": euros(amount) if amount else "?",
    }


def _allowance_configure(entry: AuditEntry, reader: AuditReader) -> str:
    year = summary_number(entry, r"(\d{4})")
    labels = {"per_hour": _("grens per uur"), "per_year": _("grens per jaar")}
    details = [
        change_in_words(str(labels[name]), change, lambda v: euros(str(v)) if v else _("leeg"))
        for name, change in entry.changes.items()
        if name in labels
    ]
    head = _("%(who)s stelde de grenzen van de vrijwilligersvergoeding voor %(year)s vast") % {
        "who": reader.who,
        "year": year,
    }
    return sentence(head, details)


def _allowance_override(entry: AuditEntry, reader: AuditReader) -> str:
    member = summary_number(entry, r"lid #(\d+)")
    return _(
        "%(who)s maakte voor %(member)s een uitzondering op de vrijwilligersvergoeding "
        "van %(year)s."
    ) % {
        "who": reader.who,
        "member": reader.name("member", member, _("een lid")),
        "year": summary_number(entry, r"(\d{4})"),
    }


def _warning_mailed(entry: AuditEntry, reader: AuditReader) -> str:
    return _(
        "De coördinatoren kregen bericht: een vrijwilliger heeft %(level)s%% van de "
        "vrijwilligersvergoeding van %(year)s bereikt."
    ) % {
        "level": summary_number(entry, r"(\d+)%") or "?",
        "year": summary_number(entry, r"% (\d{4})") or "?",
    }


def _subscription_status(entry: AuditEntry, reader: AuditReader) -> str:
    old, new = (entry.changes.get("status") or [None, None])[:2]
    return _("Het abonnement is nu %(new)s (was: %(old)s).") % {
        "new": Subscription.Status.word(new),
        "old": Subscription.Status.word(old),
    }


def _plan(template: Any) -> Sentence:
    def render(entry: AuditEntry, reader: AuditReader) -> str:
        code = (entry.summary or "").rsplit(" ", 1)[-1]
        plan = Plan.objects.filter(code=code).values_list("name", flat=True).first()
        return template % {"who": reader.who, "plan": plan or code}

    return render


def _network(template: Any) -> Sentence:
    def render(entry: AuditEntry, reader: AuditReader) -> str:
        network = (entry.summary or "").rsplit(" door ", 1)[-1]
        return template % {"network": network}

    return render


def _connect_status(entry: AuditEntry, reader: AuditReader) -> str:
    if entry.summary == "Stripe-account: kan betalingen ontvangen":
        return _("Het Stripe-account van de coöperatie kan nu online betalingen ontvangen.")
    return _("Het Stripe-account van de coöperatie kan (nog) geen online betalingen ontvangen.")


def sentences() -> dict[str, Sentence]:
    """Every action billing logs in a cooperative's log, with its sentence."""
    return {
        "klus.record": _klus_record,
        "klus.cash_confirm": _klus(
            gettext_lazy("%(who)s bevestigde dat klus %(id)s contant is betaald (%(amount)s).")
        ),
        "klus.cash_confirm_on_behalf": _klus(
            gettext_lazy(
                "%(who)s legde namens de vrijwilliger vast dat klus %(id)s contant is betaald "
                "(%(amount)s)."
            )
        ),
        "klus.online_ended": _klus(
            gettext_lazy("De online betaling van klus %(id)s is niet gelukt of verlopen.")
        ),
        "klus.online_paid": _klus(gettext_lazy("Klus %(id)s is online betaald (%(amount)s).")),
        "klus.paid_twice": _klus(
            gettext_lazy("Klus %(id)s is nog een keer online betaald (%(amount)s).")
        ),
        "klus.paid_twice_mailed": _klus(
            gettext_lazy("De penningmeester kreeg bericht dat klus %(id)s twee keer is betaald.")
        ),
        "klus.double_refunded": _klus(
            gettext_lazy(
                "%(who)s legde vast dat de dubbele betaling van klus %(id)s (%(amount)s) is "
                "terugbetaald."
            )
        ),
        "klus.waive": _klus(gettext_lazy("%(who)s liet klus %(id)s vervallen (%(amount)s).")),
        "klus.waive_mailed": _klus(
            gettext_lazy("De betrokkenen kregen bericht dat klus %(id)s is vervallen.")
        ),
        "allowance.configure": _allowance_configure,
        "allowance.override": _allowance_override,
        "allowance.warning_mailed": _warning_mailed,
        "billing.subscription_status": _subscription_status,
        "billing.checkout_started": _plan(
            gettext_lazy("%(who)s begon met betalen voor de abonnementsvorm %(plan)s.")
        ),
        "billing.plan_changed": _plan(gettext_lazy("%(who)s koos de abonnementsvorm %(plan)s.")),
        "billing.sponsorship_started": _network(
            gettext_lazy("Het abonnement wordt voortaan betaald door %(network)s.")
        ),
        "billing.sponsorship_ended": _network(
            gettext_lazy("Het abonnement wordt niet meer betaald door %(network)s.")
        ),
        "billing.connect_onboarding": _klus(
            gettext_lazy(
                "%(who)s begon met de aanmelding bij Stripe om online betalingen te ontvangen."
            )
        ),
        "billing.connect_account": _klus(
            gettext_lazy("Het Stripe-account van de coöperatie voor online betalen is aangemaakt.")
        ),
        "billing.connect_status": _connect_status,
    }
