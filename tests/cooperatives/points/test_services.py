"""The points ledger's services keep every point accounted for, in `beta` (WIJ: 10 starter
points, 2 points an hour, balances -20..+20, the recipient approves the quality first) while
`alfa` (Oost: no points) looks on. They book each kind of transfer once per idempotency key,
inside the rulebook's limits, and never touch an account of another cooperative."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from cooperatives.marketplace.models import CompensationDue, Service
from cooperatives.members.models import Member
from cooperatives.members.services import member_erase, member_register_on_behalf
from cooperatives.points import services as points
from cooperatives.points.models import Account, Transfer
from cooperatives.rules.services import rulebook_revise
from shared.audit.models import AuditEntry
from tests.factories import MemberFactory, ServiceFactory, decided
from tests.state import (
    account_balance,
    board_member,
    books,
    ledger_counts,
    points_account,
    postings_of,
)

D = Decimal


def refusal(excinfo: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str, str]:
    """(field, code, Dutch message) of a service's single refusal."""
    ((field, [error]),) = excinfo.value.error_dict.items()
    return field, error.code, error.messages[0]


def due_of(coop, service: Service) -> tuple[str, bool]:
    with schema_context(coop.schema):
        due = CompensationDue.objects.get(service=service, kind=CompensationDue.Kind.POINTS)
        return due.status, due.settled_at is not None


# --- idempotency and limits ----------------------------------------------------------------------


def test_the_same_idempotency_key_books_once_and_returns_the_first_transfer(alfa, beta):
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    with schema_context(beta.schema):
        first = points.points_gift(giver=a, receiver=b, amount="2", key="dubbel")
        again = points.points_gift(giver=a, receiver=b, amount="2", key="dubbel")
        # Whatever a repeat carries, the first booking stands.
        changed = points.points_gift(giver=a, receiver=b, amount="7", key="dubbel")
        acc_a, acc_b = points.account_open(member=a), points.account_open(member=b)
        direct = [
            points.transfer_book(
                kind=Transfer.Kind.GIFT,
                postings=[(acc_b, "-1"), (acc_a, "1")],
                idempotency_key="direct-1",
            )
            for _ in range(2)
        ]
    assert first.pk == again.pk == changed.pk
    assert direct[0].pk == direct[1].pk != first.pk
    assert postings_of(beta.schema, first) == [
        (a.pk, "member", D("-2.00")),
        (b.pk, "member", D("2.00")),
    ]
    assert ledger_counts(beta.schema) == (2, 4)
    assert books(beta.schema) == {acc_a.pk: D("-1.00"), acc_b.pk: D("1.00")}
    assert books(alfa.schema) == {}


def test_limits_are_enforced_with_a_dutch_message_and_nothing_is_booked(alfa, beta):
    a, b, c = (MemberFactory(schema=beta.schema, name=name) for name in ("Ans", "Bas", "Cor"))
    with schema_context(beta.schema):
        points.points_gift(giver=c, receiver=b, amount="15", key="1")
        points.account_open(member=a)
        state = books(beta.schema), ledger_counts(beta.schema)

        with pytest.raises(ValidationError) as above:
            points.points_gift(giver=a, receiver=b, amount="6", key="2")
        assert refusal(above) == (
            "amount",
            "above_maximum",
            "Dan komt het saldo van Bas op 21; het hoogste saldo is 20.",
        )
        with pytest.raises(ValidationError) as below:
            points.points_gift(giver=c, receiver=a, amount="5,5", key="3")
        assert refusal(below) == (
            "amount",
            "below_minimum",
            "Dan komt het saldo van Cor op -20,50; het laagste saldo is -20.",
        )
        assert (books(beta.schema), ledger_counts(beta.schema)) == state

        # Up to the limit itself is fine.
        points.points_gift(giver=a, receiver=b, amount="5", key="4")
        points.points_gift(giver=c, receiver=a, amount="5", key="5")
    assert account_balance(beta.schema, b) == D("20.00")
    assert account_balance(beta.schema, c) == D("-20.00")
    assert books(alfa.schema) == {}


def test_a_tightened_limit_refuses_moving_away_but_allows_moving_back(alfa, beta):
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    with schema_context(beta.schema):
        points.points_gift(giver=a, receiver=b, amount="15", key="1")
        rulebook_revise(
            actor=None, changes={"min_balance": -10, "max_balance": 10}, decision=decided()
        )
        # Both are outside the new limits now; moving further out is refused ...
        with pytest.raises(ValidationError) as further:
            points.points_gift(giver=a, receiver=b, amount="1", key="2")
        assert refusal(further)[1] == "below_minimum"
        # ... moving back towards them is always allowed.
        points.points_gift(giver=b, receiver=a, amount="2", key="3")
    assert (account_balance(beta.schema, a), account_balance(beta.schema, b)) == (
        D("-13.00"),
        D("13.00"),
    )
    books(beta.schema)
    assert books(alfa.schema) == {}


def test_the_solidarity_pot_never_goes_below_zero(alfa, beta):
    a = MemberFactory(schema=beta.schema, name="Ans")
    coordinator = MemberFactory(schema=beta.schema, name="Coby", roles=["coordinator"])
    with schema_context(beta.schema):
        points.points_donate(member=a, amount="2", key="1")
        state = books(beta.schema), ledger_counts(beta.schema)
        with pytest.raises(ValidationError) as empty:
            points.points_grant(actor=coordinator, member=a, amount="2,5", reason="Hulp", key="g1")
        assert refusal(empty) == (
            "amount",
            "pot_empty",
            "Er staan niet genoeg punten in de solidariteitspot.",
        )
        assert (books(beta.schema), ledger_counts(beta.schema)) == state
        assert not AuditEntry.objects.filter(action="points.grant").exists()
    assert books(alfa.schema) == {}


def test_amounts_that_are_not_points_are_refused(alfa, beta):
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    with schema_context(beta.schema):
        for amount, message in (
            ("0", "Vul een aantal punten groter dan 0 in."),
            ("-3", "Vul een aantal punten groter dan 0 in."),
            ("twee", "Vul een aantal punten in, bijvoorbeeld 2 of 1,5."),
            ("NaN", "Vul een aantal punten in, bijvoorbeeld 2 of 1,5."),
            ("Infinity", "Vul een aantal punten in, bijvoorbeeld 2 of 1,5."),
            ("1e20", "Zoveel punten kunnen niet in één keer worden overgeboekt."),
        ):
            with pytest.raises(ValidationError) as bad:
                points.points_gift(giver=a, receiver=b, amount=amount, key=amount)
            assert refusal(bad)[::2] == ("amount", message)
        with pytest.raises(ValidationError) as unbalanced:
            points.transfer_book(
                kind=Transfer.Kind.GIFT,
                postings=[
                    (points.account_open(member=a), "-2"),
                    (points.account_open(member=b), 1),
                ],
                idempotency_key="scheef",
            )
        assert refusal(unbalanced)[:2] == ("__all__", "unbalanced")
    assert ledger_counts(beta.schema) == (0, 0)
    assert set(books(beta.schema).values()) == {D("0")}
    assert books(alfa.schema) == {}


# --- every kind of transfer ----------------------------------------------------------------------


def test_starter_points_under_the_wij_rules_and_none_under_the_oost_rules(alfa, beta):
    made = {}
    for coop in (alfa, beta):
        coordinator = MemberFactory(schema=coop.schema, name="Coby", roles=["coordinator"])
        with schema_context(coop.schema):
            made[coop.schema] = member_register_on_behalf(
                actor=coordinator,
                accept_privacy=True,
                accept_disclaimer=True,
                name="Nieuw Lid",
                phone="030 123 45 67",
            )
    newcomer = made[beta.schema]
    with schema_context(beta.schema):
        starter = Transfer.objects.get()
        # Granting again changes nothing: one key per member.
        assert points.starter_points_grant(member=newcomer).pk == starter.pk
    assert (starter.kind, starter.status, starter.idempotency_key) == (
        "starter",
        "booked",
        f"starter:{newcomer.pk}",
    )
    assert postings_of(beta.schema, starter) == [
        (None, "issuance", D("-10.00")),
        (newcomer.pk, "member", D("10.00")),
    ]
    assert account_balance(beta.schema, newcomer) == D("10.00")
    assert account_balance(alfa.schema, made[alfa.schema]) is None
    assert ledger_counts(alfa.schema) == (0, 0)
    assert books(alfa.schema) == {}
    books(beta.schema)


def test_a_service_payment_waits_for_approval_then_books(alfa, beta):
    requester = MemberFactory(schema=beta.schema, name="Rita")
    volunteer = MemberFactory(schema=beta.schema, name="Vera", roles=["volunteer"])
    service = ServiceFactory(
        schema=beta.schema,
        cluster="Administratie",
        requester=requester,
        volunteer=volunteer,
        held_days_ago=1,
        state="confirmed",
    )
    with schema_context(beta.schema):
        payment = Transfer.objects.get(service_id=service.pk)
    assert (payment.kind, payment.status) == ("service", "pending")
    assert payment.idempotency_key.startswith("service-due:")
    assert postings_of(beta.schema, payment) == []
    assert due_of(beta, service) == ("owed", False)
    assert {account_balance(beta.schema, m) for m in (requester, volunteer)} == {D("0")}

    # Only whoever was helped (or a coordinator for them) decides.
    stranger = MemberFactory(schema=beta.schema, name="Stan")
    with schema_context(beta.schema):
        with pytest.raises(ValidationError) as forbidden:
            points.transfer_decide(actor=stranger, transfer=payment, approve=True)
        assert refusal(forbidden)[1] == "forbidden"
        assert Transfer.objects.get(pk=payment.pk).status == "pending"

        decided = points.transfer_decide(actor=requester, transfer=payment, approve=True)
        assert decided.status == "booked" and decided.decided_at is not None
        with pytest.raises(ValidationError) as twice:
            points.transfer_decide(actor=requester, transfer=payment, approve=True)
        assert refusal(twice)[1] == "decided"
        assert AuditEntry.objects.filter(
            action="points.approve", target_id=str(payment.pk)
        ).exists()
    assert postings_of(beta.schema, payment) == [
        (requester.pk, "member", D("-3.00")),
        (volunteer.pk, "member", D("3.00")),
    ]
    assert due_of(beta, service) == ("settled", True)
    assert books(beta.schema) == {
        points_account(beta.schema, requester): D("-3.00"),
        points_account(beta.schema, volunteer): D("3.00"),
    }
    assert books(alfa.schema) == {}


def test_a_rejected_service_payment_books_nothing(alfa, beta):
    requester = MemberFactory(schema=beta.schema, name="Rita")
    volunteer = MemberFactory(schema=beta.schema, name="Vera", roles=["volunteer"])
    coordinator = MemberFactory(schema=beta.schema, name="Coby", roles=["coordinator"])
    service = ServiceFactory(
        schema=beta.schema,
        cluster="Administratie",
        requester=requester,
        volunteer=volunteer,
        expected_hours="2",
        hours="2",
        held_days_ago=1,
        state="confirmed",
    )
    with schema_context(beta.schema):
        payment = Transfer.objects.get(service_id=service.pk)
        rejected = points.transfer_decide(actor=coordinator, transfer=payment, approve=False)
        assert rejected.status == "rejected"
        with pytest.raises(ValidationError) as reverse:
            points.transfer_reverse(actor=board_member(beta), transfer=rejected, reason="x")
        assert refusal(reverse)[1] == "not_reversible"
    assert postings_of(beta.schema, payment) == []
    assert due_of(beta, service) == ("owed", False)
    assert set(books(beta.schema).values()) == {D("0")}
    assert books(alfa.schema) == {}


def test_the_cooperatives_share_is_split_off_and_booked_at_confirmation(alfa, beta):
    """Without the approval step the payment books at confirmation; 10 % of 3 points goes to
    the cooperative's own account. A share of 100 % leaves the volunteer nothing but still
    books."""
    requester = MemberFactory(schema=beta.schema, name="Rita")
    volunteer = MemberFactory(schema=beta.schema, name="Vera", roles=["volunteer"])
    with schema_context(beta.schema):
        rulebook_revise(
            actor=None,
            changes={"share_points_percent": "10", "recipient_approves_quality": False},
            decision=decided(),
        )
    service = ServiceFactory(
        schema=beta.schema,
        cluster="Administratie",
        requester=requester,
        volunteer=volunteer,
        held_days_ago=1,
        state="confirmed",
    )
    with schema_context(beta.schema):
        payment = Transfer.objects.get(service_id=service.pk)
        rulebook_revise(actor=None, changes={"share_points_percent": "100"}, decision=decided())
    assert payment.status == "booked"
    assert postings_of(beta.schema, payment) == [
        (requester.pk, "member", D("-3.00")),
        (volunteer.pk, "member", D("2.70")),
        (None, "share", D("0.30")),
    ]
    assert due_of(beta, service) == ("settled", True)

    all_share = ServiceFactory(
        schema=beta.schema,
        cluster="Administratie",
        requester=requester,
        volunteer=volunteer,
        expected_hours="1",
        hours="1",
        held_days_ago=1,
        state="confirmed",
    )
    with schema_context(beta.schema):
        payment = Transfer.objects.get(service_id=all_share.pk)
        share = Account.objects.get(kind="share").pk
    assert postings_of(beta.schema, payment) == [
        (requester.pk, "member", D("-2.00")),
        (None, "share", D("2.00")),
    ]
    assert books(beta.schema) == {
        points_account(beta.schema, requester): D("-5.00"),
        points_account(beta.schema, volunteer): D("2.70"),
        share: D("2.30"),
    }
    assert books(alfa.schema) == {}


def test_gifts_between_members_and_from_an_organisation(alfa, beta):
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    org = MemberFactory(
        schema=beta.schema, name="Buurthuis De Linde", kind=Member.Kind.ORGANISATION
    )
    volunteer = MemberFactory(schema=beta.schema, name="Vera", roles=["volunteer"])
    gone = MemberFactory(schema=beta.schema, name="Gert", status=Member.Status.LEFT)
    with schema_context(beta.schema):
        gift = points.points_gift(giver=a, receiver=b, amount="2,5", memo="Bedankt!", key="1")
        thanks = points.points_gift(giver=org, receiver=volunteer, amount="3", key="1")
        with pytest.raises(ValidationError) as own:
            points.points_gift(giver=a, receiver=a, amount="1", key="2")
        with pytest.raises(ValidationError) as inactive:
            points.points_gift(giver=a, receiver=gone, amount="1", key="3")
    assert (gift.kind, gift.memo, gift.created_by_id) == ("gift", "Bedankt!", a.pk)
    assert thanks.kind == "organisation"
    assert refusal(own) == ("receiver", "self", "U kunt geen punten aan uzelf geven.")
    assert refusal(inactive) == ("receiver", "inactive", "Dit lid is niet meer actief.")
    assert postings_of(beta.schema, thanks) == [
        (org.pk, "member", D("-3.00")),
        (volunteer.pk, "member", D("3.00")),
    ]
    assert ledger_counts(beta.schema) == (2, 4)
    assert sorted(books(beta.schema).values()) == [D("-3"), D("-2.5"), D("2.5"), D("3")]
    assert books(alfa.schema) == {}


def test_donation_to_and_grant_from_the_solidarity_pot(alfa, beta):
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    coordinator = MemberFactory(schema=beta.schema, name="Coby", roles=["coordinator"])
    with schema_context(beta.schema):
        donation = points.points_donate(member=a, amount="4", key="1")
        with pytest.raises(ValidationError) as not_coordinator:
            points.points_grant(actor=a, member=b, amount="1", reason="Hulp", key="1")
        with pytest.raises(ValidationError) as no_reason:
            points.points_grant(actor=coordinator, member=b, amount="1", reason="  ", key="1")
        grant = points.points_grant(
            actor=coordinator, member=b, amount="3", reason="Kan niets terugdoen", key="1"
        )
        audit = AuditEntry.objects.get(action="points.grant")
        pot = Account.objects.get(kind="solidarity").pk
    assert refusal(not_coordinator)[:2] == ("__all__", "forbidden")
    assert refusal(no_reason) == ("reason", "required", "Geef een reden op.")
    assert (donation.kind, grant.kind, grant.memo) == ("donation", "grant", "Kan niets terugdoen")
    assert postings_of(beta.schema, grant) == [
        (None, "solidarity", D("-3.00")),
        (b.pk, "member", D("3.00")),
    ]
    assert (audit.actor_id, audit.target_id) == (coordinator.pk, str(grant.pk))
    assert books(beta.schema) == {
        points_account(beta.schema, a): D("-4.00"),
        pot: D("1.00"),
        points_account(beta.schema, b): D("3.00"),
    }
    assert books(alfa.schema) == {}


def test_correction_and_reversal_by_the_board(alfa, beta):
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    board = board_member(beta)
    with schema_context(beta.schema):
        acc_a = points.account_open(member=a)
        with pytest.raises(ValidationError) as not_board:
            points.points_correct(actor=a, account=acc_a, amount="5", reason="x", key="1")
        assert refusal(not_board)[1] == "forbidden"
        correction = points.points_correct(
            actor=board, account=acc_a, amount="-1,5", reason="Dubbel geboekt", key="1"
        )
        assert AuditEntry.objects.filter(
            action="points.correct", actor_id=board.pk, target_id=str(correction.pk)
        ).exists()

        original = points.points_gift(giver=a, receiver=b, amount="4", key="1")
        with pytest.raises(ValidationError) as not_board:
            points.transfer_reverse(actor=b, transfer=original, reason="Vergissing")
        assert refusal(not_board)[1] == "forbidden"
        reversal = points.transfer_reverse(actor=board, transfer=original, reason="Vergissing")
        assert (
            points.transfer_reverse(actor=board, transfer=original, reason="Nog eens").pk
            == reversal.pk
        )
        with pytest.raises(ValidationError) as of_reversal:
            points.transfer_reverse(actor=board, transfer=reversal, reason="Terug")
        assert refusal(of_reversal)[1] == "not_reversible"
        assert Transfer.objects.get(pk=original.pk).reversed_by.pk == reversal.pk
        issuance = Account.objects.get(kind="issuance").pk
    assert (correction.kind, correction.memo) == ("correction", "Dubbel geboekt")
    assert postings_of(beta.schema, correction) == [
        (None, "issuance", D("1.50")),
        (a.pk, "member", D("-1.50")),
    ]
    assert (reversal.kind, reversal.reverses_id, reversal.memo) == (
        "reversal",
        original.pk,
        "Vergissing",
    )
    # The original stays as it was; the reversal mirrors it.
    assert postings_of(beta.schema, original) == [
        (a.pk, "member", D("-4.00")),
        (b.pk, "member", D("4.00")),
    ]
    assert postings_of(beta.schema, reversal) == [
        (a.pk, "member", D("4.00")),
        (b.pk, "member", D("-4.00")),
    ]
    assert books(beta.schema) == {
        acc_a.pk: D("-1.50"),
        issuance: D("1.50"),
        points_account(beta.schema, b): D("0"),
    }
    assert books(alfa.schema) == {}


def test_a_reversal_that_would_break_a_limit_is_refused(alfa, beta):
    a, b, c, d = (
        MemberFactory(schema=beta.schema, name=name) for name in ("Ans", "Bas", "Cor", "Dik")
    )
    with schema_context(beta.schema):
        original = points.points_gift(giver=a, receiver=b, amount="10", key="1")
        points.points_gift(giver=b, receiver=c, amount="10", key="1")
        points.points_gift(giver=b, receiver=d, amount="10,5", key="2")  # Bas: -10,50
        with pytest.raises(ValidationError) as refused:
            points.transfer_reverse(actor=board_member(beta), transfer=original, reason="Terug")
    assert refusal(refused) == (
        "amount",
        "below_minimum",
        "Dan komt het saldo van Bas op -20,50; het laagste saldo is -20.",
    )
    assert ledger_counts(beta.schema) == (3, 6)
    books(beta.schema)
    assert books(alfa.schema) == {}


def test_an_erased_member_keeps_postings_and_account_and_the_books_balance(alfa, beta):
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    with schema_context(beta.schema):
        gift = points.points_gift(giver=a, receiver=b, amount="3", key="1")
        acc_a = points.account_open(member=a)
        before = books(beta.schema)
        member_erase(actor=board_member(beta), member=a)
        erased = Member.objects.get(pk=a.pk)
        assert erased.status == Member.Status.ERASED and erased.name.startswith("Oud-lid ")
        assert Account.objects.get(pk=acc_a.pk).member_id == a.pk
        with pytest.raises(ValidationError) as to_erased:
            points.points_gift(giver=b, receiver=erased, amount="1", key="1")
        assert refusal(to_erased)[1] == "inactive"
    assert postings_of(beta.schema, gift) == [
        (a.pk, "member", D("-3.00")),
        (b.pk, "member", D("3.00")),
    ]
    assert books(beta.schema) == before
    assert books(alfa.schema) == {}


# --- two cooperatives ----------------------------------------------------------------------------


def test_an_account_of_another_cooperative_is_never_booked(alfa, beta):
    """Ids repeat across schemas. An Account read in alfa and handed to a booking in beta
    must not book on beta's account with the same id, nor on alfa's."""
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    outsider = MemberFactory(schema=alfa.schema, name="Olga")
    with schema_context(beta.schema):
        points.points_gift(giver=a, receiver=b, amount="1", key="1")
        acc_a, acc_b = points.account_open(member=a), points.account_open(member=b)
    with schema_context(alfa.schema):
        # One with the same id as an account in beta, one whose id beta does not have.
        same_id = Account.objects.create(pk=acc_a.pk, kind="member", member=outsider)
        other_id = Account.objects.create(
            pk=max(acc_a.pk, acc_b.pk) + 1000,
            kind="member",
            member=MemberFactory(schema=alfa.schema),
        )
    beta_books, alfa_books = books(beta.schema), books(alfa.schema)

    with schema_context(beta.schema):
        assert not Account.objects.filter(pk=other_id.pk).exists()
        for foreign in (same_id, other_id):
            with pytest.raises(ValidationError) as refused:
                points.transfer_book(
                    kind=Transfer.Kind.GIFT,
                    postings=[(foreign, "-2"), (acc_b, "2")],
                    idempotency_key=f"cross-{foreign.pk}",
                )
            assert refusal(refused) == (
                "__all__",
                "unknown_account",
                "Deze rekening hoort niet bij deze coöperatie.",
            )
    assert books(beta.schema) == beta_books
    assert books(alfa.schema) == alfa_books
    assert ledger_counts(beta.schema) == (1, 2)
    assert ledger_counts(alfa.schema) == (0, 0)


def test_a_transfer_of_another_cooperative_is_never_decided_or_reversed(alfa, beta):
    """Transfers read in alfa, with the ids of a booked and a pending transfer in beta, must
    not reverse or decide beta's."""
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    with schema_context(beta.schema):
        booked = points.points_gift(giver=a, receiver=b, amount="1", key="1")
        acc_a, acc_b = points.account_open(member=a), points.account_open(member=b)
        pending = points.transfer_book(
            kind=Transfer.Kind.SERVICE,
            postings=[(acc_a, "-2"), (acc_b, "2")],
            idempotency_key="wacht",
            pending=True,
        )
    with schema_context(alfa.schema):
        foreign_booked = Transfer.objects.create(
            pk=booked.pk, kind="gift", idempotency_key="alfa-1"
        )
        foreign_pending = Transfer.objects.create(
            pk=pending.pk, kind="service", status="pending", idempotency_key="alfa-2"
        )
    beta_books, alfa_books = books(beta.schema), books(alfa.schema)
    with schema_context(beta.schema):
        with pytest.raises(ValidationError) as reverse:
            points.transfer_reverse(actor=board_member(beta), transfer=foreign_booked, reason="x")
        with pytest.raises(ValidationError) as decide:
            points.transfer_decide(actor=a, transfer=foreign_pending, approve=True)
        assert Transfer.objects.get(pk=pending.pk).status == "pending"
    assert (
        refusal(reverse)
        == refusal(decide)
        == (
            "__all__",
            "unknown_transfer",
            "Deze overboeking hoort niet bij deze coöperatie.",
        )
    )
    assert (books(beta.schema), books(alfa.schema)) == (beta_books, alfa_books)
    assert ledger_counts(beta.schema) == (2, 2)
    assert ledger_counts(alfa.schema) == (2, 0)
