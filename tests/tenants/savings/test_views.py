"""The savings and Triple Aim pages: the estimate with its method and every parameter, labelled
as an estimate; a manager saves a new version, an analyst reads but cannot save; another
network's manager finds nothing (404)."""

from django_tenants.utils import schema_context

from tenants.savings.models import ClusterParameters, SavingsParameters
from tests.clients import network_client
from tests.factories import membership_make, network_user
from tests.pages import audit, text

SAVINGS = "/netwerk/samen030/besparing/"
TRIPLE_AIM = "/netwerk/samen030/triple-aim/"


def written() -> tuple[int, int]:
    with schema_context("public"):
        return SavingsParameters.objects.count(), ClusterParameters.objects.count()


def new_version(**changes):
    data = {
        "rows": "2",
        "valid_from": "01-01-2027",
        "share": "0,6",
        "hourly_cost": "35",
        "source": "Tarieven 2027",
        "cluster_1": "Vervoer",
        "cluster_1_share": "0,9",
        "cluster_1_cost": "42,50",
        "cluster_2": "",
        "cluster_2_share": "",
        "cluster_2_cost": "",
    }
    return {**data, **changes}


def test_the_page_shows_the_estimate_its_method_and_every_parameter(
    alfa, beta, networks, craft, months
):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative, groups=("feedback",))
    manager = network_user(networks.samen030)
    craft.parameters(
        manager, networks.samen030, share="0.5", cost="30", clusters=[("Vervoer", "0.8", "40")]
    )
    craft.figure(alfa, months.this, "help", "hours", "Vervoer", "12.5")
    craft.figure(alfa, months.this, "help", "hours", "Tuin")  # suppressed
    craft.figure(beta, months.this, "help", "hours", "Vervoer", "99")  # not shared
    page = text(network_client(manager).get(SAVINGS))
    assert "schatting, geen feit" in page and "Dit is een schatting, geen feit." in page
    assert "uren hulp × vervangingsaandeel × uurtarief van het professionele alternatief" in page
    assert "Versie 1, geldig vanaf" in page and "Manager SAMEN030" in page
    assert "Tarieven van de gemeente" in page
    for shown in ("0,8", "40,00", "0,5", "30,00", "12,5", "400,00"):  # 12.5 × 0.8 × 40
        assert shown in page
    assert "1 cel met uren is onderdrukt" in page
    assert "1 coöperatie deelt de groep Hulp niet met dit netwerk" in page
    assert "99" not in page and "WIJ-coöperatie Beta" not in page
    assert 'href="/netwerk/samen030/besparing/"' in page  # in the network menu
    found = audit(page)
    assert found.html_lang == "nl" and found.has_skip_link
    assert found.inputs and all(field.get("id") in found.label_for for field in found.inputs)
    assert "<script" not in page and "style=" not in page


def test_a_manager_saves_a_new_version_and_the_history_keeps_both(alfa, beta, networks, craft):
    manager = network_user(networks.samen030)
    craft.parameters(manager, networks.samen030)
    client = network_client(manager)
    saved = client.post(SAVINGS, new_version())
    assert saved.status_code == 302 and saved["Location"] == SAVINGS
    with schema_context("public"):
        latest = SavingsParameters.objects.get(network=networks.samen030, version=2)
        assert [(c.cluster, str(c.share), str(c.hourly_cost)) for c in latest.clusters.all()] == [
            ("Vervoer", "0.900", "42.50")
        ]
    assert written() == (2, 1)
    page = text(client.get(SAVINGS))
    assert "Versie 2 van de parameters is opgeslagen." in page
    assert "Schatting met versie 1" in page and "Schatting met versie 2" in page
    assert "Vervoer: 0,9 × 42,50" in page


def test_bad_parameters_on_the_page_are_refused_in_dutch_and_nothing_written(alfa, beta, networks):
    client = network_client(network_user(networks.samen030))
    too_much = client.post(SAVINGS, new_version(share="1,2"))
    negative = client.post(SAVINGS, new_version(cluster_1_cost="-3"))
    assert (too_much.status_code, negative.status_code) == (400, 400)
    assert "Het vervangingsaandeel ligt tussen 0 en 1" in text(too_much)
    assert "Cluster Vervoer: het uurtarief kan niet negatief zijn." in text(negative)
    assert written() == (0, 0)


def test_an_analyst_reads_but_cannot_save(alfa, beta, networks, craft):
    craft.parameters(network_user(networks.samen030), networks.samen030)
    analyst = network_client(network_user(networks.samen030, role="analyst"))
    page = analyst.get(SAVINGS)
    assert page.status_code == 200
    assert "Versie 1, geldig vanaf" in text(page) and "Nieuwe versie opslaan" not in text(page)
    refused = analyst.post(SAVINGS, new_version())
    assert refused.status_code == 403
    assert written() == (1, 0)
    assert analyst.get(TRIPLE_AIM).status_code == 200


def test_another_networks_manager_gets_404_on_both_pages(alfa, beta, networks, craft):
    membership_make(networks.samen030, alfa.cooperative)
    craft.parameters(network_user(networks.samen030), networks.samen030)
    rijnmond = network_client(network_user(networks.rijnmond))
    assert rijnmond.get(SAVINGS).status_code == 404
    assert rijnmond.get(TRIPLE_AIM).status_code == 404
    assert rijnmond.post(SAVINGS, new_version()).status_code == 404
    assert written() == (1, 0)


def test_the_national_network_sees_what_was_shared_upwards(alfa, beta, networks, craft, months):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative, share_with_parent=False)
    craft.figure(alfa, months.this, "help", "hours", "Vervoer", "11")
    craft.figure(beta, months.this, "help", "hours", "Vervoer", "7919")
    page = text(network_client(network_user(networks.wijk500)).get("/netwerk/500wijk/besparing/"))
    assert "Wijkcoöperatie Alfa" in page and "WIJ-coöperatie Beta" not in page
    # beta's hours (a number no token or date holds) are nowhere on the page
    assert "7919" not in page and "7.919" not in page


def test_the_triple_aim_page_shows_the_three_aims(alfa, beta, networks, craft, months):
    membership_make(networks.samen030, alfa.cooperative)
    manager = network_user(networks.samen030)
    craft.parameters(manager, networks.samen030, share="0.5", cost="30")
    craft.figure(alfa, months.this, "wellbeing", "score", "meaning", "7.4")
    craft.figure(alfa, months.this, "feedback", "average_rating", "", "4.6")
    craft.figure(alfa, months.this, "help", "hours", "", "21")
    craft.figure(alfa, months.this, "help", "hours", "Vervoer", "21")
    response = network_client(manager).get(TRIPLE_AIM)
    page = text(response)
    assert response.status_code == 200
    for heading in ("1. Kwaliteit van leven", "2. Ervaring", "3. Kosten"):
        assert heading in page
    assert "7,4" in page and "4,6" in page and "315,00" in page  # 21 × 0.5 × 30
    assert "schatting, geen feit" in page
    assert 'href="/netwerk/samen030/triple-aim/"' in page
    assert "<caption>" in page and 'scope="col"' in page
    # The charts are server-side SVG beside the tables: an image with a title, no script.
    assert (
        page.count('<svg class="chart"') == 2
        and "<title>Uren informele hulp per maand</title>" in page
    )
    assert "<script" not in page and "style=" not in page


def test_the_pages_speak_english_too(alfa, beta, networks, craft):
    manager = network_user(networks.samen030)
    craft.parameters(manager, networks.samen030)
    client = network_client(manager)
    client.post("/i18n/setlang/", {"language": "en", "next": SAVINGS})
    savings = text(client.get(SAVINGS))
    assert "This is an estimate, not a fact." in savings and "Save new version" in savings
    aims = text(client.get(TRIPLE_AIM))
    assert "1. Quality of life" in aims and "Hours of informal help per month" in aims
