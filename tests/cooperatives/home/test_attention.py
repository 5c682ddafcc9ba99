""" "Wat vraagt uw aandacht" on the home page: each task the member has open, with one link to
the page where it is done; the task leaves once it is done; and when nothing waits, what the
member can do next. `alfa` runs the Oost rules (feedback within 7 days, paid klussen), `beta`
the WIJ rules (points that the recipient approves)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen import navigation as klussen_navigation
from billing.klussen import services as klussen_services
from billing.klussen.models import AllowanceYear, KlusDoublePayment, KlusPayment
from cooperatives.joining import services as joining
from cooperatives.joining.models import Application
from cooperatives.marketplace import services as market
from cooperatives.marketplace.models import HelpRequest, HelpResponse, Service
from cooperatives.members.models import Member
from cooperatives.points import services as points
from cooperatives.points.models import Transfer
from cooperatives.setup.models import Cluster
from tests.clients import logged_in_client
from tests.factories import MemberFactory, NeighbourhoodFactory, decided

TODAY = timezone.localdate


class TaskParser(HTMLParser):
    """The tasks of the home page (kind, link, sentence) and the links of its empty state."""

    def __init__(self) -> None:
        super().__init__()
        self.tasks: list[dict] = []
        self.next_steps: list[str] = []
        self._in_next = False
        self._task: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and a.get("class") == "task":
            self._task = {"kind": a["data-kind"], "href": None, "text": ""}
            self.tasks.append(self._task)
        if tag == "a" and self._task is not None and self._task["href"] is None:
            self._task["href"] = a["href"]
        if tag == "ul" and a.get("class") == "next-steps":
            self._in_next = True
        if tag == "a" and self._in_next:
            self.next_steps.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "li":
            self._task = None
        if tag == "ul":
            self._in_next = False

    def handle_data(self, data):
        # The sentence before the link (the link names the deed).
        if self._task is not None and self._task["href"] is None:
            self._task["text"] = " ".join(f"{self._task['text']} {data}".split())


def home(client) -> TaskParser:
    response = client.get("/")
    assert response.status_code == 200
    parser = TaskParser()
    parser.feed(response.content.decode())
    return parser


def kinds(client) -> list[str]:
    return [task["kind"] for task in home(client).tasks]


def task(client, kind: str) -> dict:
    found = [t for t in home(client).tasks if t["kind"] == kind]
    assert len(found) == 1, (kind, kinds(client))
    return found[0]


def opens_with(client, href: str, *needles: str) -> None:
    """The task's link opens the page where it is done: it holds the form that does it."""
    response = client.get(href)
    assert response.status_code == 200, href
    page = response.content.decode()
    for needle in needles:
        assert needle in page, (href, needle)


# A free cluster in the Oost rules; in the WIJ rules every cluster pays points.
CLUSTER = {"alfa": "Boodschappen", "beta": "Zorg en aandacht voor elkaar"}


def ask(coop, requester, *, cluster=None, title="Boodschappen doen", hours="1"):
    cluster = cluster or CLUSTER[coop.cooperative.slug]
    with schema_context(coop.schema):
        return market.request_create(
            actor=requester,
            requester=requester,
            cluster=Cluster.objects.get(name=cluster),
            title=title,
            expected_hours=hours,
            network_checked=True,
        )


def answer(coop, volunteer, request) -> HelpResponse:
    with schema_context(coop.schema):
        return market.response_create(volunteer=volunteer, request=request)


def plan(coop, requester, volunteer, *, days=3, **asked) -> Service:
    request = ask(coop, requester, **asked)
    response = answer(coop, volunteer, request)
    with schema_context(coop.schema):
        return market.response_accept(
            actor=requester,
            response=response,
            date=TODAY() + dt.timedelta(days=days),
            start_time=dt.time(10, 0),
        )


def passed(coop, service: Service, days: int = 1) -> None:
    with schema_context(coop.schema):
        Service.objects.filter(pk=service.pk).update(date=TODAY() - dt.timedelta(days=days))


def act(coop, step, **kwargs):
    with schema_context(coop.schema):
        return step(**kwargs)


def fresh(coop, service: Service) -> Service:
    with schema_context(coop.schema):
        return Service.objects.select_related("requester", "volunteer").get(pk=service.pk)


# --- the help loop ------------------------------------------------------------------------------


def test_each_step_of_the_help_loop_waits_on_the_home_page_of_whoever_takes_it(alfa, beta):
    rita = MemberFactory(schema=alfa.schema, name="Rita Hulpvrager")
    vera = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    as_rita, as_vera = logged_in_client(alfa, member=rita), logged_in_client(alfa, member=vera)

    # Vera answers "ik help": Rita chooses on the request's page.
    request = ask(alfa, rita)
    response = answer(alfa, vera, request)
    chosen = task(as_rita, "marketplace.answers")
    assert chosen["href"] == f"/hulpvragen/{request.pk}/"
    assert "1 vrijwilliger wil helpen bij 'Boodschappen doen'" in chosen["text"]
    opens_with(as_rita, chosen["href"], f'action="/reacties/{response.pk}/accepteren/"')

    # Rita accepts for tomorrow: both see the appointment coming; the choice is gone.
    with schema_context(alfa.schema):
        service = market.response_accept(
            actor=rita,
            response=response,
            date=TODAY() + dt.timedelta(days=1),
            start_time=dt.time(10, 0),
        )
    assert kinds(as_rita) == ["marketplace.soon"]
    soon = task(as_vera, "marketplace.soon")
    assert soon["href"] == f"/diensten/{service.pk}/"
    assert "Morgen om 10:00: 'Boodschappen doen' met Rita Hulpvrager." in soon["text"]

    # The appointment has passed: Vera registers the hours on the service's page.
    passed(alfa, service)
    register = task(as_vera, "marketplace.register")
    assert register["href"] == f"/diensten/{service.pk}/"
    opens_with(as_vera, register["href"], f'action="/diensten/{service.pk}/uren/"')
    assert kinds(as_rita) == []
    act(alfa, market.service_register_hours, actor=vera, service=service, hours="1")
    assert "marketplace.register" not in kinds(as_vera)

    # Rita confirms them there.
    confirm = task(as_rita, "marketplace.confirm")
    assert confirm["href"] == f"/diensten/{service.pk}/"
    assert "Vera Vrijwilliger heeft 1,0 uur geregistreerd" in confirm["text"]
    opens_with(as_rita, confirm["href"], f'action="/diensten/{service.pk}/bevestigen/"')
    act(alfa, market.service_confirm, actor=rita, service=fresh(alfa, service))

    # Then feedback, with the deadline of the Oost rules (a week).
    feedback = task(as_rita, "marketplace.feedback")
    deadline = TODAY() + dt.timedelta(days=7)
    assert f"Uiterlijk {deadline.day} " in feedback["text"]
    opens_with(as_rita, feedback["href"], f'action="/diensten/{service.pk}/terugkoppeling/"')
    act(alfa, market.service_feedback, actor=rita, service=fresh(alfa, service), rating=4)
    assert kinds(as_rita) == [] and kinds(as_vera) == []

    # In the other cooperative none of this is anyone's task.
    assert kinds(logged_in_client(beta)) == []


def test_an_appointment_later_today_is_announced_and_one_that_passed_is_not(alfa):
    rita = MemberFactory(schema=alfa.schema, name="Rita Hulpvrager")
    vera = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    service = plan(alfa, rita, vera, days=2)
    assert kinds(logged_in_client(alfa, member=rita)) == []  # the day after tomorrow: not yet
    with schema_context(alfa.schema):
        Service.objects.filter(pk=service.pk).update(date=TODAY(), start_time=dt.time(23, 59))
    if timezone.localtime().time() < dt.time(23, 59):
        later = task(logged_in_client(alfa, member=rita), "marketplace.soon")
        assert later["text"].startswith("Vandaag om 23:59")
    with schema_context(alfa.schema):
        Service.objects.filter(pk=service.pk).update(start_time=dt.time(0, 0))
    assert kinds(logged_in_client(alfa, member=rita)) == []  # over; the volunteer registers
    assert kinds(logged_in_client(alfa, member=vera)) == ["marketplace.register"]


def test_points_to_approve_link_to_the_payment_and_leave_once_approved(beta):
    rita = MemberFactory(schema=beta.schema, name="Rita Hulpvrager")
    vera = MemberFactory(schema=beta.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    service = plan(beta, rita, vera, cluster="(Auto)vervoer", title="Naar de huisarts")
    passed(beta, service)
    act(beta, market.service_register_hours, actor=vera, service=fresh(beta, service), hours="1")
    act(beta, market.service_confirm, actor=rita, service=fresh(beta, service))
    with schema_context(beta.schema):
        payment = Transfer.objects.get(service_id=service.pk, status=Transfer.Status.PENDING)

    as_rita = logged_in_client(beta, member=rita)
    approve = task(as_rita, "points.approve")
    assert approve["href"] == f"/punten/#betaling-{payment.pk}"
    assert "Dienst: Naar de huisarts: was de hulp goed? Dan gaan er 2 punten" in approve["text"]
    opens_with(
        as_rita,
        "/punten/",
        f'id="betaling-{payment.pk}"',
        f'action="/punten/betaling/{payment.pk}/goedkeuren/"',
    )
    with schema_context(beta.schema):
        points.transfer_decide(actor=rita, transfer=payment, approve=True)
    assert "points.approve" not in kinds(as_rita)
    assert "points.approve" not in kinds(logged_in_client(beta, member=vera))


# --- coordinators, assistants and the board -----------------------------------------------------


def test_the_queue_of_coordinators_and_assistants_covers_their_buurten(alfa):
    oost = NeighbourhoodFactory(schema=alfa.schema, name="Oostbuurt")
    west = NeighbourhoodFactory(schema=alfa.schema, name="Westbuurt")
    coordinator = logged_in_client(
        alfa, member=MemberFactory(schema=alfa.schema, roles=["coordinator"])
    )
    assistant = logged_in_client(
        alfa,
        member=MemberFactory(
            schema=alfa.schema,
            roles=["neighbourhood_assistant"],
            neighbourhood=oost,
            assists=[oost],
        ),
    )
    board = logged_in_client(alfa)
    rita = MemberFactory(schema=alfa.schema, name="Rita Oost", neighbourhood=oost)
    wim = MemberFactory(schema=alfa.schema, name="Wim West", neighbourhood=west)
    vera = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])

    request = ask(alfa, rita)
    unmatched = task(assistant, "marketplace.unmatched")
    assert unmatched["href"] == f"/hulpvragen/{request.pk}/"  # the only one: straight to it
    assert unmatched["text"].strip() == "1 hulpvraag wacht op een vrijwilliger."
    opens_with(assistant, unmatched["href"], "Boodschappen doen")
    ask(alfa, wim)
    assert task(coordinator, "marketplace.unmatched")["href"] == "/coordinatie/"
    assert "2 hulpvragen wachten" in task(coordinator, "marketplace.unmatched")["text"]
    assert task(assistant, "marketplace.unmatched")["href"] == f"/hulpvragen/{request.pk}/"
    assert not {"marketplace.unmatched"} & set(kinds(board))  # the board does not match

    # Matched, the request leaves the assistant's queue; its hours wait for confirmation.
    response = answer(alfa, vera, request)
    with schema_context(alfa.schema):
        service = market.response_accept(
            actor=rita, response=response, date=TODAY(), start_time=dt.time(0, 0)
        )
    assert "marketplace.unmatched" not in kinds(assistant)
    act(alfa, market.service_register_hours, actor=vera, service=fresh(alfa, service), hours="1")
    waiting = task(assistant, "marketplace.queue_confirm")
    assert waiting["href"] == f"/diensten/{service.pk}/"
    opens_with(assistant, waiting["href"], f'action="/diensten/{service.pk}/bevestigen/"')
    assert task(coordinator, "marketplace.queue_confirm")["href"] == f"/diensten/{service.pk}/"
    act(alfa, market.service_confirm, actor=rita, service=fresh(alfa, service))
    assert "marketplace.queue_confirm" not in kinds(assistant)

    # Feedback past its deadline.
    with schema_context(alfa.schema):
        Service.objects.filter(pk=service.pk).update(feedback_due=TODAY() - dt.timedelta(days=1))
    late = task(coordinator, "marketplace.queue_feedback")
    assert late["href"] == f"/diensten/{service.pk}/"
    assert late["text"] == "Bij 1 dienst is de terugkoppeling te laat."
    act(alfa, market.service_feedback, actor=rita, service=fresh(alfa, service), rating=5)
    assert "marketplace.queue_feedback" not in kinds(coordinator)
    assert "marketplace.queue_feedback" not in kinds(assistant)


def apply(coop, name: str) -> Application:
    with schema_context(coop.schema):
        return joining.application_submit(
            name=name,
            email=f"{name.split()[0].lower()}@aanmelding.example.nl",
            password="Zonnebloem-42!",
            accept_privacy=True,
            accept_disclaimer=True,
        )


def test_applications_wait_for_the_coordinator_and_the_board(alfa):
    application = apply(alfa, "Sanne Visser")
    coordinator = logged_in_client(
        alfa, member=MemberFactory(schema=alfa.schema, roles=["coordinator"])
    )
    board = logged_in_client(alfa)
    for client in (coordinator, board):
        waiting = task(client, "joining.application")
        assert waiting["href"] == f"/aanmeldingen/{application.pk}/"
        assert "Sanne Visser wil lid worden" in waiting["text"]
        opens_with(client, waiting["href"], 'value="approve"')
    assistant = MemberFactory(schema=alfa.schema, roles=["neighbourhood_assistant"])
    assert "joining.application" not in kinds(logged_in_client(alfa, member=assistant))
    with schema_context(alfa.schema):
        joining.application_approve(
            actor=Member.objects.get(email=alfa.board_email), application=application
        )
    assert "joining.application" not in kinds(board)

    # Many: one line to the list.
    for n in range(6):
        apply(alfa, f"Aanmelder{n} Achternaam")
    summary = task(board, "joining.applications")
    assert summary["href"] == "/aanmeldingen/" and "6 aanmeldingen" in summary["text"]


def paid_klus(coop, requester, volunteer) -> KlusPayment:
    service = plan(coop, requester, volunteer, cluster="Reparaties", title="Kraan")
    passed(coop, service)
    act(coop, market.service_register_hours, actor=volunteer, service=fresh(coop, service), hours=1)
    act(coop, market.service_confirm, actor=requester, service=fresh(coop, service))
    with schema_context(coop.schema):
        return KlusPayment.objects.get(service_id=service.pk)


def test_a_klus_to_pay_and_cash_to_confirm_leave_once_the_cash_is_confirmed(alfa):
    rita = MemberFactory(schema=alfa.schema, name="Rita Hulpvrager")
    vera = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    payment = paid_klus(alfa, rita, vera)
    as_rita, as_vera = logged_in_client(alfa, member=rita), logged_in_client(alfa, member=vera)
    to_pay = task(as_rita, "klussen.settle")
    assert to_pay["href"] == f"/klussen/{payment.pk}/"
    assert "€ 4,50 te betalen" in to_pay["text"]
    to_confirm = task(as_vera, "klussen.settle")
    assert to_confirm["href"] == f"/klussen/{payment.pk}/"
    opens_with(as_vera, to_confirm["href"], f'action="/klussen/{payment.pk}/contant-ontvangen/"')
    act(alfa, klussen_services.klus_cash_confirm, actor=vera, payment=payment)
    assert "klussen.settle" not in kinds(as_rita) + kinds(as_vera)


def test_a_double_payment_waits_for_the_treasurer_until_refunded(alfa):
    rita = MemberFactory(schema=alfa.schema, name="Rita Hulpvrager")
    vera = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    payment = paid_klus(alfa, rita, vera)
    with schema_context(alfa.schema):
        double = KlusDoublePayment.objects.create(
            payment=payment,
            checkout_session_id="cs_test_dubbel",
            amount=Decimal("4.50"),
            earlier=KlusDoublePayment.Earlier.CASH,
        )
    treasurer = MemberFactory(
        schema=alfa.schema, name="Pien Penningmeester", roles=["board_treasurer"]
    )
    as_treasurer = logged_in_client(alfa, member=treasurer)
    refund = task(as_treasurer, "klussen.double")
    assert refund["href"] == f"/klussen/{payment.pk}/"
    opens_with(as_treasurer, refund["href"], f'action="/klussen/{payment.pk}/terugbetaald/"')
    coordinator = MemberFactory(schema=alfa.schema, roles=["coordinator"])
    assert "klussen.double" not in kinds(logged_in_client(alfa, member=coordinator))
    with schema_context(alfa.schema):
        klussen_services.klus_double_payment_mark_refunded(actor=treasurer, double=double)
    assert "klussen.double" not in kinds(as_treasurer)


def test_the_board_sets_missing_allowance_limits_where_there_are_paid_klussen(alfa, beta):
    today = TODAY()
    wanted = klussen_navigation.allowance_years_wanted(today=today)
    assert wanted[0] == today.year
    with schema_context(alfa.schema):
        AllowanceYear.objects.filter(year__in=wanted).delete()
        AllowanceYear.objects.create(year=today.year + 1, per_hour=5, per_year=2000)
    board = logged_in_client(alfa)
    limits = task(board, "klussen.allowance")
    assert limits["href"] == f"/klussen/vrijwilligersvergoeding/?jaar={today.year}#grenzen-kop"
    opens_with(board, limits["href"], 'id="grenzen-kop"', f'value="{today.year}"')
    coordinator = MemberFactory(schema=alfa.schema, roles=["coordinator"])  # follows, does not set
    assert "klussen.allowance" not in kinds(logged_in_client(alfa, member=coordinator))
    with schema_context(alfa.schema):
        klussen_services.allowance_year_set(
            actor=Member.objects.get(email=alfa.board_email),
            year=today.year,
            per_hour="5.60",
            per_year="2100",
            decision=decided("allowance"),
        )
    assert "klussen.allowance" not in kinds(board)
    # Without paid klussen in its rules, the WIJ board is never asked.
    with schema_context(beta.schema):
        AllowanceYear.objects.all().delete()
    assert "klussen.allowance" not in kinds(logged_in_client(beta))


def test_next_years_limits_are_asked_for_from_october():
    wanted = klussen_navigation.allowance_years_wanted
    assert wanted(today=dt.date(2027, 9, 30)) == [2027]
    assert wanted(today=dt.date(2027, 10, 1)) == [2027, 2028]


# --- nothing waits ----------------------------------------------------------------------------


def test_when_nothing_waits_the_home_page_says_what_the_member_can_do(alfa):
    page = home(logged_in_client(alfa, member=MemberFactory(schema=alfa.schema)))
    assert page.tasks == []
    assert page.next_steps == ["/hulpvragen/nieuw/", "/diensten/"]
    html = (
        logged_in_client(alfa, member=MemberFactory(schema=alfa.schema)).get("/").content.decode()
    )
    assert "Er wacht nu niets op u." in html
    volunteer = home(
        logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, roles=["volunteer"]))
    )
    assert volunteer.next_steps == [
        "/hulpvragen/nieuw/",
        "/markt/#hulpvragen",
        "/aanbod/nieuw/",
        "/diensten/",
    ]


# --- cost ---------------------------------------------------------------------------------------


def _more_tasks(coop, me: Member, volunteer: Member, others: list[Member], n: int) -> None:
    """``n`` more of every kind of task for ``me`` (a volunteer who also asks for help, a
    coordinator and the chair): hours to register, to confirm, payments to approve and
    feedback, answers to choose from, appointments tomorrow, unmatched requests, applications."""
    for i in range(n):
        other = others[i % len(others)]
        # I helped someone and still have to register the hours.
        passed(coop, plan(coop, other, me, title=f"Geholpen {i}", hours="0,5"))
        # Someone helped me: the hours wait for my confirmation ...
        helped = plan(coop, me, volunteer, title=f"Hulp {i}", hours="0,5")
        passed(coop, helped)
        act(coop, market.service_register_hours, actor=volunteer, service=helped, hours="0,5")
        # ... or I confirmed them: the payment waits for approval, and feedback.
        confirmed = plan(coop, me, volunteer, title=f"Klaar {i}", hours="0,5")
        passed(coop, confirmed)
        act(coop, market.service_register_hours, actor=volunteer, service=confirmed, hours="0,5")
        act(coop, market.service_confirm, actor=me, service=fresh(coop, confirmed))
        # A volunteer answered my request; an appointment tomorrow; a request nobody answered.
        answer(coop, volunteer, ask(coop, me, title=f"Vraag {i}"))
        plan(coop, me, volunteer, days=1, title=f"Morgen {i}", hours="0,5")
        ask(coop, other, title=f"Open {i}")
        apply(coop, f"Nieuw{n}x{i} Lid")


def test_the_home_page_costs_the_same_queries_with_few_and_many_tasks(beta):
    me = MemberFactory(
        schema=beta.schema, name="Mia Meervoud", roles=["volunteer", "coordinator", "board_chair"]
    )
    volunteer = MemberFactory(schema=beta.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    others = [MemberFactory(schema=beta.schema, name=f"Buur {i}") for i in range(3)]
    client = logged_in_client(beta, member=me)

    def cost() -> tuple[int, list[str]]:
        client.get("/")  # warm the caches (cooperative lookup, session) first
        with CaptureQueriesContext(connection) as queries:
            found = kinds(client)
        return len(queries), found

    _more_tasks(beta, me, volunteer, others, 1)
    few, few_kinds = cost()
    _more_tasks(beta, me, volunteer, others, 6)
    many, many_kinds = cost()
    assert len(many_kinds) > len(few_kinds)
    assert {
        "marketplace.register",
        "marketplace.confirm",
        "marketplace.answers",
        "marketplace.unmatched",
        "points.approve",
    } <= set(few_kinds)
    assert many == few
    with schema_context(beta.schema):
        assert HelpRequest.objects.filter(requester=me).count() == 7 * 4
