"""The network's dashboard, its CSV and a cooperative's trend: only what each cooperative shares
with this network, suppressed cells as a dash with the reason, totals of shown cells only, and
a number of queries that does not grow with the number of cooperatives."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clients import network_client
from tests.factories import (
    FIGURE_CELLS,
    bare_cooperatives,
    figures_make,
    membership_make,
    network_user,
)
from tests.pages import text as page_text

SUPPRESSED = "minder dan 5: niet getoond ter bescherming van de privacy"

NOVEMBER = dt.date(2026, 11, 1)
OCTOBER = dt.date(2026, 10, 1)


def _beta_full_of_sevens():
    """Beta's figures: every value 777, easy to look for where it must not be."""
    return {key: (None if value is None else Decimal(777)) for key, value in FIGURE_CELLS.items()}


def _set_up(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative, groups=("members",))
    figures_make(alfa.cooperative, NOVEMBER)
    figures_make(alfa.cooperative, OCTOBER, {("members", "members", ""): Decimal(101)})
    figures_make(beta.cooperative, NOVEMBER, _beta_full_of_sevens())


def test_the_dashboard_shows_shared_cells_side_by_side_and_a_dash_for_the_rest(
    alfa, beta, networks
):
    _set_up(alfa, beta, networks)
    page = network_client(network_user(networks.samen030, "analyst")).get("/netwerk/samen030/")
    assert page.status_code == 200
    html = page.content.decode()
    text = page_text(page)
    assert "Coöperaties naast elkaar, november 2026" in text
    assert "Laatst berekend: 2 december 2026, 03:15." in text
    # Alfa shares everything: its help figures are there, in Dutch decimals.
    assert '<td data-label="Uren hulp">61,5</td>' in html
    assert '<td data-label="Klussen in euro&#x27;s">412,50</td>' in html
    # Beta shares only its members: 777 appears for members and nowhere else.
    assert '<td data-label="Leden">777</td>' in html
    assert html.count(">777<") == 2  # its members and its active volunteers
    assert "niet gedeeld" in html and "Diensten" in html
    assert '<td data-label="Diensten">–<sup aria-hidden="true">2</sup>' in html
    assert SUPPRESSED in text  # the legend
    # Rows link to each cooperative's trend.
    assert 'href="/netwerk/samen030/cooperaties/alfa/"' in html
    assert 'href="/netwerk/samen030/cooperaties/beta/"' in html
    assert 'href="/netwerk/samen030/cijfers.csv?maand=2026-11"' in html


def test_a_suppressed_cell_is_a_dash_with_the_reason_and_left_out_of_the_total(
    alfa, beta, networks
):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    figures_make(alfa.cooperative, NOVEMBER, {("help", "services", ""): Decimal(40)})
    figures_make(beta.cooperative, NOVEMBER, {("help", "services", ""): None})
    html = network_client(network_user(networks.samen030)).get("/netwerk/samen030/").content
    html = html.decode()
    assert (
        f'<td data-label="Diensten">–<sup aria-hidden="true">1</sup>'
        f'<span class="visually-hidden"> {SUPPRESSED}</span></td>'
    ) in html
    footer = html.split("<tfoot>")[1]
    assert '<td data-label="Diensten">40</td>' in footer


def test_the_month_picker_shows_an_earlier_month_and_refuses_one_without_figures(
    alfa, beta, networks
):
    _set_up(alfa, beta, networks)
    client = network_client(network_user(networks.samen030))
    october = client.get("/netwerk/samen030/", {"maand": "2026-10"})
    assert "Coöperaties naast elkaar, oktober 2026" in page_text(october)
    assert '<td data-label="Leden">101</td>' in october.content.decode()
    wrong = client.get("/netwerk/samen030/", {"maand": "2019-01"})
    assert wrong.status_code == 200
    assert "Voor die maand zijn er geen cijfers." in page_text(wrong)
    assert "Coöperaties naast elkaar, november 2026" in page_text(wrong)


def test_the_csv_holds_every_shared_cell_of_the_month_and_marks_the_suppressed(
    alfa, beta, networks
):
    _set_up(alfa, beta, networks)
    response = network_client(network_user(networks.samen030)).get(
        "/netwerk/samen030/cijfers.csv", {"maand": "2026-11"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "cijfers-samen030-2026-11.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    alfa_rows = [r for r in rows if r["code"] == "alfa"]
    beta_rows = [r for r in rows if r["code"] == "beta"]
    assert len(alfa_rows) == len(FIGURE_CELLS)
    assert {r["groep"] for r in beta_rows} == {"members"}  # beta shares only its members
    left = next(r for r in alfa_rows if r["cijfer"] == "left")
    assert (left["waarde"], left["onderdrukt"]) == ("", "ja")
    hours = next(
        r
        for r in alfa_rows
        if r["cijfer"] == "hours" and r["groep"] == "help" and r["onderverdeling"] == ""
    )
    assert (hours["waarde"], hours["eenheid"], hours["onderdrukt"]) == ("61.5", "uur", "nee")
    assert {r["maand"] for r in rows} == {"2026-11"}


def test_the_trend_page_draws_each_figure_and_gives_the_same_numbers_in_a_table(
    alfa, beta, networks
):
    _set_up(alfa, beta, networks)
    client = network_client(network_user(networks.samen030))
    page = client.get("/netwerk/samen030/cooperaties/alfa/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Verloop van november 2025 tot en met november 2026" in page_text(page)
    assert 'role="img" aria-label="Leden van Wijkcoöperatie Alfa per maand, in leden' in html
    assert "<title>Leden van Wijkcoöperatie Alfa per maand, in leden</title>" in html
    assert html.count('role="img"') >= len({(g, m) for g, m, _d in FIGURE_CELLS})
    # The table beside the chart: October's 101 and November's 120 members.
    members = html.split('id="members-members"')[1].split("</section>")[0]
    assert "<caption>Leden per maand (leden)</caption>" in members
    assert '<tr><th scope="row">oktober 2026</th><td data-label="totaal">101</td>' in members
    assert '<th scope="row">november 2026</th><td data-label="totaal">120</td>' in members
    # By kind and by cluster, as the rows say.
    assert '<th scope="col">bewoners</th>' in members
    wellbeing = html.split('id="wellbeing-score"')[1].split("</section>")[0]
    assert '<th scope="col">Zingeving</th>' in wellbeing  # the questionnaire's own name
    services = html.split('id="help-services"')[1].split("</section>")[0]
    assert '<th scope="col">Vervoer</th>' in services
    # What it shares with this network.
    assert "Wat deze coöperatie deelt met SAMEN030" in page_text(page)
    beta_page = client.get("/netwerk/samen030/cooperaties/beta/").content.decode()
    assert '<tr><th scope="row">Hulp</th><td>niet gedeeld</td></tr>' in beta_page
    assert 'id="help-services"' not in beta_page


def test_a_cooperative_the_network_does_not_see_is_not_found(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative, share_with_parent=False)
    membership_make(networks.rijnmond, beta.cooperative)
    figures_make(beta.cooperative, NOVEMBER)
    samen = network_client(network_user(networks.samen030))
    assert samen.get("/netwerk/samen030/cooperaties/beta/").status_code == 404
    assert samen.get("/netwerk/samen030/cooperaties/niet-bestaand/").status_code == 404
    # 500WIJK sees SAMEN030's cooperatives only when they share upwards.
    national = network_client(network_user(networks.wijk500))
    assert national.get("/netwerk/500wijk/cooperaties/alfa/").status_code == 404
    # Another network's pages are not found.
    assert samen.get("/netwerk/rijnmond/").status_code == 404
    assert samen.get("/netwerk/rijnmond/cijfers.csv").status_code == 404


def test_analysts_and_managers_reach_the_dashboard_from_the_network_menu(alfa, beta, networks):
    for role in ("analyst", "manager"):
        user = network_user(networks.samen030, role, email=f"{role}@x.nl")
        html = network_client(user).get("/netwerk/samen030/").content.decode()
        menu = html.split('class="menu"')[1].split("</nav>")[0]
        assert '<a href="/netwerk/samen030/"' in menu


def test_the_dashboard_needs_the_same_queries_for_two_or_six_cooperatives(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    figures_make(alfa.cooperative, NOVEMBER)
    figures_make(beta.cooperative, NOVEMBER)
    client = network_client(network_user(networks.samen030))

    def queries(url):
        client.get(url)  # the session and the first-use caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [
        "/netwerk/samen030/",
        "/netwerk/samen030/cijfers.csv",
        "/api/v1/networks/samen030/figures/",
    ]
    with_two = [queries(url) for url in urls]
    for extra in bare_cooperatives(4):
        membership_make(networks.samen030, extra, groups=("help", "members"))
        figures_make(extra, NOVEMBER)
    with_six = [queries(url) for url in urls]
    assert with_six == with_two
    assert with_two[0] <= 15


def test_a_large_network_is_shown_fifty_cooperatives_a_page_with_the_total_over_all(
    alfa, beta, networks
):
    extras = bare_cooperatives(52)
    for extra in extras:
        membership_make(networks.wijk500, extra, groups=("help",))
        figures_make(extra, NOVEMBER, {("help", "services", ""): Decimal(10)})
    client = network_client(network_user(networks.wijk500))
    first = client.get("/netwerk/500wijk/")
    html = first.content.decode()
    assert html.count('href="/netwerk/500wijk/cooperaties/') == 50
    assert "(1 tot en met 50 van 52; het totaal is over alle 52)" in page_text(first)
    assert '<td data-label="Diensten">520</td>' in html.split("<tfoot>")[1]
    assert 'href="?pagina=2"' in html
    second = client.get("/netwerk/500wijk/", {"pagina": "2"}).content.decode()
    assert second.count('href="/netwerk/500wijk/cooperaties/') == 2


def test_without_the_second_factor_the_pages_send_to_its_step(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative)
    figures_make(alfa.cooperative, NOVEMBER)
    client = network_client(network_user(networks.samen030), verified=False)
    for url in (
        "/netwerk/samen030/",
        "/netwerk/samen030/cijfers.csv",
        "/netwerk/samen030/cooperaties/alfa/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/netwerk/tweestaps/"), url
        assert b"Alfa" not in response.content


def test_the_kept_table_gives_way_to_a_new_run_and_to_a_withdrawn_group_at_once(
    alfa, beta, networks, django_capture_on_commit_callbacks
):
    """The drawn table is kept between requests (no figure row is read for the second), but
    a run that stores new figures, or a cooperative that stops sharing a group, shows on the
    very next request."""
    from cooperatives.figures.cells import Cell
    from tenants.figures.services import figures_store
    from tenants.networks.services import Sharing, membership_sharing_change
    from tests.state import board_member

    def store(coop, services: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            figures_store(
                cooperative=coop.cooperative,
                cells=[Cell(NOVEMBER, "help", "services", Decimal(services), services)],
            )

    alfa_membership = membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    store(alfa, 40)
    store(beta, 30)
    client = network_client(network_user(networks.samen030))
    assert '<td data-label="Diensten">40</td>' in client.get("/netwerk/samen030/").content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/netwerk/samen030/").content.decode()
    assert '<td data-label="Diensten">40</td>' in again
    assert not [q for q in captured if '"figures_figure"' in q["sql"]]

    store(alfa, 55)
    after_run = client.get("/netwerk/samen030/").content.decode()
    assert '<td data-label="Diensten">55</td>' in after_run
    assert '<td data-label="Diensten">40</td>' not in after_run
    assert '<td data-label="Diensten">85</td>' in after_run.split("<tfoot>")[1]

    membership_sharing_change(
        membership=alfa_membership,
        sharing=Sharing(("members",), on_map=True, share_with_parent=False),
        actor=board_member(alfa),
    )
    withdrawn = client.get("/netwerk/samen030/").content.decode()
    assert ">55<" not in withdrawn
    assert '<td data-label="Diensten">30</td>' in withdrawn.split("<tfoot>")[1]
    csv_text = client.get("/netwerk/samen030/cijfers.csv").content.decode()
    assert ";55," not in csv_text and ";55;" not in csv_text
