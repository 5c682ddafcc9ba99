"""Where the rules pay in points and let the recipient approve the quality (WIJ), confirming
the hours and approving the quality is one step on the service page: the points are booked at
once, with no pending payment left for the points page. Where the booking cannot be made (a
balance limit), the hours are still confirmed and the requester is told it waits for the
coordinator, who books it from the same page. Each viewer sees their own next step first."""

from __future__ import annotations

from decimal import Decimal

from django_tenants.utils import schema_context

from cooperatives.marketplace.models import CompensationDue, Service
from cooperatives.points import services as points
from cooperatives.points.models import Account, Transfer
from cooperatives.rules.services import rulebook_revise
from tests.clients import logged_in_client
from tests.factories import decided

JSON = "application/json"


def page(client, service) -> str:
    return client.get(f"/diensten/{service.pk}/").content.decode()


def balances(coop, *members) -> list[Decimal]:
    with schema_context(coop.schema):
        found = {a.member_id: a.balance for a in Account.objects.filter(member__in=members)}
        return [found.get(m.pk, Decimal("0")) for m in members]


def test_confirming_on_wij_books_the_points_at_once(alfa, beta, cast, serve_service):
    people = cast(beta)
    service = serve_service(beta, people, cluster="Administratie", registered="1.5")
    as_rita = logged_in_client(beta, member=people.rita)
    html = page(as_rita, service)
    assert 'data-step="confirm_approve"' in html
    assert "Ja, de uren kloppen en ik ben tevreden" in html
    assert "Ja, de uren kloppen</button>" not in html  # no separate confirmation
    assert "Dit klopt niet" in html

    done = as_rita.post(f"/diensten/{service.pk}/bevestigen-en-goedkeuren/")
    assert done.status_code == 302
    with schema_context(beta.schema):
        assert Service.objects.get(pk=service.pk).status == Service.Status.CONFIRMED
        transfer = Transfer.objects.get(service_id=service.pk)
        due = CompensationDue.objects.get(service_id=service.pk)
        assert not Transfer.objects.filter(status=Transfer.Status.PENDING).exists()
    assert transfer.status == Transfer.Status.BOOKED
    assert (due.status, due.amount, due.quality_approved_by_id) == (
        "settled",
        Decimal("3.00"),
        people.rita.pk,
    )
    assert balances(beta, people.rita, people.vera) == [Decimal("-3.00"), Decimal("3.00")]
    # Nothing waits on the points page, and the service page asks for feedback next.
    assert "/punten/betaling/" not in as_rita.get("/punten/").content.decode()
    assert 'data-step="feedback"' in page(as_rita, service)
    # Confirming twice changes nothing.
    assert as_rita.post(f"/diensten/{service.pk}/bevestigen-en-goedkeuren/").status_code == 400
    assert balances(beta, people.rita, people.vera) == [Decimal("-3.00"), Decimal("3.00")]


def test_confirm_and_approve_through_the_api(alfa, beta, cast, serve_service):
    people = cast(beta)
    service = serve_service(beta, people, cluster="Administratie", registered="1")
    as_rita = logged_in_client(beta, member=people.rita)
    base = f"/api/v1/services/{service.pk}/"
    before = as_rita.get(base).json()
    assert before["actions"] == ["confirm_approve", "dispute", "message"]
    assert before["steps"][0]["code"] == "confirm_approve"
    # The volunteer may not approve the quality of their own work.
    as_vera = logged_in_client(beta, member=people.vera)
    assert as_vera.post(f"{base}confirm-and-approve/", {}, content_type=JSON).status_code == 403
    with schema_context(beta.schema):
        assert not Transfer.objects.filter(service_id=service.pk).exists()
    done = as_rita.post(f"{base}confirm-and-approve/", {}, content_type=JSON)
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    with schema_context(beta.schema):
        assert Transfer.objects.get(service_id=service.pk).status == Transfer.Status.BOOKED


def test_a_payment_left_pending_is_approved_from_the_service_page(alfa, beta, cast, serve_service):
    """Confirmed without approving (the API's plain confirm): the service page says so first
    and one button books the points."""
    people = cast(beta)
    service = serve_service(beta, people, cluster="Administratie", registered="1")
    as_rita = logged_in_client(beta, member=people.rita)
    as_rita.post(f"/api/v1/services/{service.pk}/confirm/", {}, content_type=JSON)
    with schema_context(beta.schema):
        assert Transfer.objects.get(service_id=service.pk).status == Transfer.Status.PENDING
    assert 'data-step="approve"' in page(as_rita, service)
    as_vera = logged_in_client(beta, member=people.vera)
    assert 'data-step="wait_approval"' in page(as_vera, service)
    assert as_vera.post(f"/diensten/{service.pk}/kwaliteit-goedkeuren/").status_code == 403
    assert as_rita.post(f"/diensten/{service.pk}/kwaliteit-goedkeuren/").status_code == 302
    with schema_context(beta.schema):
        assert Transfer.objects.get(service_id=service.pk).status == Transfer.Status.BOOKED
        assert CompensationDue.objects.get(service_id=service.pk).status == "settled"


def test_a_balance_limit_leaves_the_booking_to_the_coordinator(alfa, beta, cast, serve_service):
    """Rita may not go below 0 points: confirming still works, nothing is booked, Rita reads
    that it waits for the coordinator (not her balance), and the coordinator books it once
    Rita has the points."""
    people = cast(beta)
    service = serve_service(beta, people, cluster="Administratie", registered="1.5")
    with schema_context(beta.schema):
        rulebook_revise(actor=None, changes={"min_balance": 0}, decision=decided())
    as_rita = logged_in_client(beta, member=people.rita)
    assert as_rita.post(f"/diensten/{service.pk}/bevestigen-en-goedkeuren/").status_code == 302
    with schema_context(beta.schema):
        assert Service.objects.get(pk=service.pk).status == Service.Status.CONFIRMED
        due = CompensationDue.objects.get(service_id=service.pk)
        assert not Transfer.objects.filter(service_id=service.pk).exists()
    assert due.status == "owed" and "laagste saldo" in due.held_reason
    rita_page = page(as_rita, service)
    assert "wacht op de coördinator" in rita_page and "laagste saldo" not in rita_page

    as_coordinator = logged_in_client(beta, member=people.coordinator)
    assert 'data-step="settle"' in page(as_coordinator, service)
    board = as_coordinator.get("/coordinatie/").content.decode()
    assert f"/diensten/{service.pk}/" in board
    # Still impossible: refused with the reason, nothing booked.
    refused = as_coordinator.post(f"/diensten/{service.pk}/boeken/")
    assert refused.status_code == 400 and "laagste saldo" in refused.content.decode()
    # Rita may not book it herself.
    assert as_rita.post(f"/diensten/{service.pk}/boeken/").status_code == 403
    with schema_context(beta.schema):
        assert not Transfer.objects.filter(service_id=service.pk).exists()
        account = points.account_open(member=people.rita)
        points.points_correct(
            actor=people.board, account=account, amount="5", reason="Bijdrage", key="k1"
        )
    assert as_coordinator.post(f"/diensten/{service.pk}/boeken/").status_code == 302
    with schema_context(beta.schema):
        assert Transfer.objects.get(service_id=service.pk).status == Transfer.Status.BOOKED
        due.refresh_from_db()
    assert (due.status, due.held_reason) == ("settled", "")
    assert balances(beta, people.rita, people.vera) == [Decimal("2.00"), Decimal("3.00")]


def test_each_viewer_reads_their_own_next_step(alfa, beta, cast, serve_service):
    """Oost klus, confirmed: Rita gives feedback first and pays; Vera waits for her money;
    a coordinator and the board have nothing to do there."""
    people = cast(alfa)
    service = serve_service(alfa, people, cluster="Reparaties", registered="2")
    steps = {
        "rita": 'data-step="confirm"',
        "vera": 'data-step="wait_confirmation"',
        "coordinator": 'data-step="confirm"',  # may confirm for Rita
        "board": 'data-step="wait_confirmation"',
    }
    for who, step in steps.items():
        assert step in page(logged_in_client(alfa, member=getattr(people, who)), service), who
    as_rita = logged_in_client(alfa, member=people.rita)
    assert as_rita.post(f"/diensten/{service.pk}/bevestigen/").status_code == 302
    rita_page = page(as_rita, service)
    assert 'data-step="feedback"' in rita_page and "Betaal € 9,00 aan Vera" in rita_page
    vera_page = page(logged_in_client(alfa, member=people.vera), service)
    assert 'data-step="wait_payment"' in vera_page and "Rita betaalt u € 9,00" in vera_page
    board_page = page(logged_in_client(alfa, member=people.board), service)
    assert 'data-step="done"' in board_page
    assert "Oudwijkerlaan" not in board_page  # the board never sees the address
