"""Meetings from convocation to decision: the convocation period, the quorum, proxies within
the statutes' limit, online votes only where the statutes allow them and within their window,
majorities per kind, and secret ballots that the database keeps apart from their voters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.governance.models import Decision
from cooperatives.meetings.models import (
    Ballot,
    BallotRegister,
    Meeting,
    OpenVote,
    Proxy,
)
from cooperatives.meetings.selectors import quorum_check, receipts_counted
from cooperatives.meetings.services import (
    agenda_item_add,
    attendance_register,
    ballot_cast_secret,
    item_record_result,
    meeting_convene,
    proxy_grant,
    vote_cast_open,
)
from tests.state import audit_actions

EVOTING = {"electronic_participation": True, "electronic_voting": True}


def codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def window(days_before: int = 1):
    """Online voting from ``days_before`` days ago to the day of a meeting 20 days ahead."""
    now = timezone.now()
    return {
        "evoting_opens": now - dt.timedelta(days=days_before),
        "evoting_closes": now + dt.timedelta(days=20),
    }


def open_item(title="Begroting 2027", kind=Decision.Kind.ORDINARY, mode="open", online=True):
    return {"title": title, "kind": kind, "vote_mode": mode, **(window() if online else {})}


def test_the_alv_is_convened_the_statutes_period_ahead_and_mails_a_link_to_its_page(
    alv_meeting, alfa, beta, voters, settings, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as refused:
        alv_meeting(alfa, items=[{"title": "Jaarverslag"}], days_ahead=10)
    assert "too_late" in codes(refused.value)
    with schema_context(alfa.schema):
        assert not Meeting.objects.filter(status=Meeting.Status.CONVENED).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        made = alv_meeting(alfa, items=[{"title": "Jaarverslag"}], days_ahead=15)
    sent = [m for m in mail.outbox if m.to == [voters[0].email]]
    assert len(sent) == 1
    assert f"alfa.{settings.PLATFORM_DOMAIN}" in sent[0].body
    assert f"/vergaderingen/{made.meeting.pk}/" in sent[0].body
    assert "Jaarverslag" in sent[0].body
    with schema_context(beta.schema):
        assert not Meeting.objects.exists()


def test_quorum_counts_present_and_represented_members(
    alv_meeting, bring_to_today, alfa, beta, voters
):
    made = alv_meeting(alfa, items=[open_item(online=False)], quorum_percent=50)
    meeting = bring_to_today(alfa, made.meeting)
    with schema_context(alfa.schema):
        # 7 members (the founder and six voters): 4 needed.
        for member in voters[:2]:
            attendance_register(actor=made.secretary, meeting=meeting, member=member)
        proxy_grant(actor=voters[2], meeting=meeting, grantor=voters[2], holder=voters[0])
        quorum = quorum_check(meeting=meeting)
        assert (quorum.entitled, quorum.present, quorum.represented, quorum.needed) == (7, 2, 1, 4)
        assert not quorum.reached
        with pytest.raises(ValidationError) as refused:
            item_record_result(actor=made.secretary, item=made.items[0], hall_for=3)
        assert "no_quorum" in codes(refused.value)
        assert not Decision.objects.exists()
        attendance_register(actor=made.secretary, meeting=meeting, member=voters[3])
        assert quorum_check(meeting=meeting).reached
        decision = item_record_result(actor=made.secretary, item=made.items[0], hall_for=3)
        assert decision.adopted and decision.votes_for == 3
    with schema_context(beta.schema):
        assert not Decision.objects.exists()


def test_proxies_over_the_statutes_limit_are_refused_and_nothing_is_written(
    alv_meeting, bring_to_today, alfa, voters
):
    made = alv_meeting(alfa, items=[open_item(online=False)], proxies_per_member=1)
    with schema_context(alfa.schema):
        proxy_grant(actor=voters[1], meeting=made.meeting, grantor=voters[1], holder=voters[0])
        with pytest.raises(ValidationError) as refused:
            proxy_grant(actor=voters[2], meeting=made.meeting, grantor=voters[2], holder=voters[0])
        assert "proxy_limit" in codes(refused.value)
        assert Proxy.objects.filter(meeting=made.meeting).count() == 1
        assert audit_actions(alfa.schema).count("proxy.grant") == 1
        # Someone else's proxy is not one's own to give.
        with pytest.raises(ValidationError) as refused:
            proxy_grant(actor=voters[3], meeting=made.meeting, grantor=voters[4], holder=voters[5])
        assert "not_yours" in codes(refused.value)


def test_a_proxy_holder_votes_for_the_grantor_online(alv_meeting, bring_to_today, alfa, voters):
    made = alv_meeting(alfa, items=[open_item()], **EVOTING)
    item = made.items[0]
    with schema_context(alfa.schema):
        proxy_grant(actor=voters[1], meeting=made.meeting, grantor=voters[1], holder=voters[0])
        vote_cast_open(actor=voters[0], item=item, choice="for")
        vote_cast_open(actor=voters[0], item=item, choice="against", for_member=voters[1])
        with pytest.raises(ValidationError) as refused:
            vote_cast_open(actor=voters[0], item=item, choice="for", for_member=voters[2])
        assert "no_proxy" in codes(refused.value)
        rows = sorted(OpenVote.objects.values_list("member_id", "cast_by_id", "by_proxy", "choice"))
        assert rows == sorted(
            [
                (voters[0].pk, voters[0].pk, False, "for"),
                (voters[1].pk, voters[0].pk, True, "against"),
            ]
        )
        with pytest.raises(ValidationError) as refused:
            vote_cast_open(actor=voters[0], item=item, choice="against")
        assert "already_voted" in codes(refused.value)
        assert OpenVote.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "votes_for", "votes_against", "outcome"),
    [
        (Decision.Kind.ORDINARY, 4, 3, "adopted"),
        (Decision.Kind.ORDINARY, 3, 3, "rejected"),
        (Decision.Kind.STATUTES, 4, 2, "adopted"),
        (Decision.Kind.STATUTES, 4, 3, "rejected"),
    ],
)
def test_the_majority_follows_the_kind_of_decision(
    alv_meeting, bring_to_today, alfa, voters, kind, votes_for, votes_against, outcome
):
    made = alv_meeting(alfa, items=[open_item("Wijziging", kind=kind)], **EVOTING)
    item = made.items[0]
    everyone = [made.secretary, *voters]
    with schema_context(alfa.schema):
        # Online before the meeting: two votes for, one against; the rest by hand in the room.
        vote_cast_open(actor=everyone[0], item=item, choice="for")
        vote_cast_open(actor=everyone[1], item=item, choice="for")
        vote_cast_open(actor=everyone[2], item=item, choice="against")
    meeting = bring_to_today(alfa, made.meeting)
    with schema_context(alfa.schema):
        attendance_register(actor=made.secretary, meeting=meeting, member=made.secretary)
        decision = item_record_result(
            actor=made.secretary,
            item=item,
            hall_for=votes_for - 2,
            hall_against=votes_against - 1,
            hall_abstain=1,
        )
        assert (decision.votes_for, decision.votes_against, decision.votes_abstain) == (
            votes_for,
            votes_against,
            1,
        )
        assert decision.outcome == outcome
        assert decision.kind == kind and decision.minutes_id == Meeting.objects.get().minutes_id
        item.refresh_from_db()
        assert item.decision_id == decision.pk


def test_a_second_ballot_from_one_member_is_refused_by_the_database(
    alv_meeting, bring_to_today, alfa, beta, voters
):
    made = alv_meeting(
        alfa,
        items=[open_item("Verkiezing voorzitter", Decision.Kind.ELECTION, "secret")],
        **EVOTING,
    )
    item = made.items[0]
    with schema_context(alfa.schema):
        receipt = ballot_cast_secret(actor=voters[0], item=item, choice="for")
        with pytest.raises(ValidationError) as refused:
            ballot_cast_secret(actor=voters[0], item=item, choice="against")
        assert "already_voted" in codes(refused.value)
        assert Ballot.objects.filter(item=item).count() == 1
        assert receipts_counted(item=item) == [receipt]
        # Not the service's check: the database itself refuses a second register row.
        with pytest.raises(IntegrityError), transaction.atomic():
            BallotRegister.objects.create(item=item, member=voters[0])
    with schema_context(beta.schema):
        assert not Ballot.objects.exists()


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _foreign_keys(table: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {(c["columns"][0], c["foreign_key"][0]) for c in found.values() if c["foreign_key"]}


def test_secret_ballots_cannot_be_linked_to_their_voters(alv_meeting, bring_to_today, alfa, voters):
    made = alv_meeting(
        alfa,
        items=[open_item("Verkiezing penningmeester", Decision.Kind.ELECTION, "secret")],
        **EVOTING,
    )
    item = made.items[0]
    with schema_context(alfa.schema):
        receipts = [
            ballot_cast_secret(actor=voter, item=item, choice=choice)
            for voter, choice in zip(voters[:3], ["for", "against", "abstain"], strict=True)
        ]
        # The schema: a ballot has a random id, the item, the choice and the receipt code;
        # no member, no time, no sequence, no reference to the register.
        assert _columns("meetings_ballot") == {"id", "item_id", "choice", "receipt_code"}
        assert _foreign_keys("meetings_ballot") == {("item_id", "meetings_agendaitem")}
        assert _columns("meetings_ballotregister") == {
            "id",
            "item_id",
            "member_id",
            "by_proxy",
            "cast_electronically",
        }
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT data_type FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = 'meetings_ballot' AND column_name = 'id'",
                [alfa.schema],
            )
            assert cursor.fetchone() == ("uuid",)
        # The rows: a ballot shares nothing with any register row but the item.
        for ballot in Ballot.objects.values("id", "item_id", "choice", "receipt_code"):
            for entry in BallotRegister.objects.values():
                shared = {str(v) for v in ballot.values()} & {str(v) for v in entry.values()}
                assert shared == {str(item.pk)}
        assert sorted(receipts) == receipts_counted(item=item)
        # The audit log says who voted, never what.
        from shared.audit.models import AuditEntry

        logged = AuditEntry.objects.filter(action="ballot.cast")
        assert logged.count() == 3
        for entry in logged:
            text = f"{entry.summary} {entry.changes}"
            assert not any(word in text for word in ("for", "against", "abstain", *receipts))


def test_online_voting_only_where_the_statutes_allow_it(alv_meeting, bring_to_today, alfa, voters):
    made = alv_meeting(alfa, items=[{"title": "Begroting", "vote_mode": "open"}])
    with schema_context(alfa.schema):
        with pytest.raises(ValidationError) as refused:
            agenda_item_add(
                actor=made.secretary,
                meeting=made.meeting,
                title="Punt",
                vote_mode="open",
                **window(),
            )
        assert "evoting_not_allowed" in codes(refused.value)
        with pytest.raises(ValidationError) as refused:
            vote_cast_open(actor=voters[0], item=made.items[0], choice="for")
        assert "evoting_not_allowed" in codes(refused.value)
        assert not OpenVote.objects.exists()


def test_online_voting_only_within_the_window_that_opens_at_most_30_days_ahead(
    alv_meeting, bring_to_today, alfa, voters
):
    made = alv_meeting(alfa, items=[], days_ahead=20, convene=False, **EVOTING)
    with schema_context(alfa.schema):
        # 20 days ahead: a window opening 11 days ago would open 31 days before the meeting.
        with pytest.raises(ValidationError) as refused:
            agenda_item_add(
                actor=made.secretary,
                meeting=made.meeting,
                title="Te vroeg",
                vote_mode="open",
                **window(days_before=11),
            )
        assert "window_too_early" in codes(refused.value)
        later = timezone.now() + dt.timedelta(days=5)
        item = agenda_item_add(
            actor=made.secretary,
            meeting=made.meeting,
            title="Nog niet open",
            vote_mode="open",
            evoting_opens=later,
            evoting_closes=later + dt.timedelta(days=15),
        )
        meeting_convene(actor=made.secretary, meeting=made.meeting)
        with pytest.raises(ValidationError) as refused:
            vote_cast_open(actor=voters[0], item=item, choice="for")
        assert "evoting_closed" in codes(refused.value)
        assert not OpenVote.objects.exists()
