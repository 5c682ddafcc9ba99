"""The knowledge network's pages. Isolation: SAMEN030's documents are not there for Rijnmond's
users nor for a cooperative outside SAMEN030 (a foreign id is a 404); tiers: 500WIJK's
documents reach the boards of SAMEN030's cooperatives; an analyst reads but cannot publish;
a refused upload through the page writes nothing."""

import html

from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.knowledge import services
from tenants.knowledge.models import Document
from tests.clients import logged_in_client, network_client
from tests.factories import MemberFactory, membership_make, network_user


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def publish(network, title, upload, **fields):
    """A document published by the network's publisher (made on first use)."""
    email = f"uitgever@{network.slug}.example.nl"
    with schema_context("public"):
        manager = User.objects.filter(email=email).first() or network_user(network, email=email)
    data = {"kind": "statutes", "title": title, "file": upload(), **fields}
    return services.document_publish(user=manager, network=network, **data)


def count() -> int:
    with schema_context("public"):
        return Document.objects.count()


# --- a network's library ------------------------------------------------------------------------


def test_a_networks_library_is_its_own_and_is_in_its_menu(networks, upload):
    samen = publish(networks.samen030, "Modelstatuten SAMEN030", upload)
    publish(networks.rijnmond, "Projectplan Rijnmond", upload)
    page = text(
        network_client(network_user(networks.samen030, "analyst")).get("/netwerk/samen030/kennis/")
    )
    assert "Modelstatuten SAMEN030" in page and "Projectplan Rijnmond" not in page
    assert 'href="/netwerk/samen030/kennis/"' in page  # the network menu
    assert f"/netwerk/samen030/kennis/{samen.pk}/bestand/" in page
    # The analyst reads, but is not offered to publish, edit or withdraw.
    assert "/kennis/nieuw/" not in page and "/bewerken/" not in page


def test_another_networks_library_and_documents_do_not_exist(networks, upload):
    samen = publish(networks.samen030, "Modelstatuten SAMEN030", upload)
    rijnmond = network_client(network_user(networks.rijnmond))
    assert rijnmond.get("/netwerk/samen030/kennis/").status_code == 404
    assert "Modelstatuten SAMEN030" not in text(rijnmond.get("/netwerk/rijnmond/kennis/"))
    for path in ("bestand", "bewerken", "intrekken"):
        assert rijnmond.get(f"/netwerk/rijnmond/kennis/{samen.pk}/{path}/").status_code == 404
    assert rijnmond.post(f"/netwerk/rijnmond/kennis/{samen.pk}/intrekken/").status_code == 404
    samen.refresh_from_db()
    assert samen.status == Document.Status.PUBLISHED


def test_the_city_network_reads_the_national_networks_documents_not_the_reverse(networks, upload):
    wijk = publish(networks.wijk500, "Triple Aim in de wijk", upload)
    samen = publish(networks.samen030, "Modelstatuten SAMEN030", upload)
    city = network_client(network_user(networks.samen030, "analyst"))
    page = text(city.get("/netwerk/samen030/kennis/"))
    assert "Triple Aim in de wijk" in page and "van 500WIJKCOÖPERATIES" in page
    assert city.get(f"/netwerk/samen030/kennis/{wijk.pk}/bestand/").status_code == 200
    national = network_client(network_user(networks.wijk500, "analyst"))
    assert "Modelstatuten SAMEN030" not in text(national.get("/netwerk/500wijk/kennis/"))
    assert national.get(f"/netwerk/500wijk/kennis/{samen.pk}/bestand/").status_code == 404


def test_a_manager_cannot_edit_the_national_networks_document(networks, upload):
    wijk = publish(networks.wijk500, "Triple Aim in de wijk", upload)
    manager = network_client(network_user(networks.samen030))
    assert manager.get(f"/netwerk/samen030/kennis/{wijk.pk}/bewerken/").status_code == 404
    assert manager.post(f"/netwerk/samen030/kennis/{wijk.pk}/intrekken/").status_code == 404


def test_an_analyst_cannot_publish_edit_or_withdraw(networks, upload):
    samen = publish(networks.samen030, "Modelstatuten SAMEN030", upload)
    analyst = network_client(network_user(networks.samen030, "analyst"))
    assert analyst.get("/netwerk/samen030/kennis/nieuw/").status_code == 403
    response = analyst.post(
        "/netwerk/samen030/kennis/nieuw/",
        {"kind": "statutes", "title": "Van de analist", "file": upload()},
    )
    assert response.status_code == 403
    assert analyst.post(f"/netwerk/samen030/kennis/{samen.pk}/intrekken/").status_code == 403
    assert analyst.get(f"/netwerk/samen030/kennis/{samen.pk}/bewerken/").status_code == 403
    assert count() == 1
    samen.refresh_from_db()
    assert samen.status == Document.Status.PUBLISHED


def test_a_manager_publishes_through_the_page_and_it_downloads(networks, upload, samples):
    client = network_client(network_user(networks.samen030))
    assert text(client.get("/netwerk/samen030/kennis/nieuw/"))
    response = client.post(
        "/netwerk/samen030/kennis/nieuw/",
        {
            "kind": "statutes",
            "title": "Modelstatuten",
            "summary": "Statuten voor een wijkcoöperatie",
            "tags": "statuten, Utrecht",
            "file": upload("Model statuten.pdf"),
        },
    )
    assert response.status_code == 302
    with schema_context("public"):
        document = Document.objects.get()
    download = client.get(f"/netwerk/samen030/kennis/{document.pk}/bestand/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == samples.pdf
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Model statuten.pdf" in download["Content-Disposition"]


def test_a_refused_upload_through_the_page_writes_nothing(networks, upload, samples, stored):
    client = network_client(network_user(networks.samen030))
    response = client.post(
        "/netwerk/samen030/kennis/nieuw/",
        {"kind": "statutes", "title": "Echt een pdf", "file": upload("plan.pdf", samples.exe)},
    )
    assert response.status_code == 400
    assert "De inhoud van dit bestand past niet bij de naam" in html.unescape(
        response.content.decode()
    )
    assert count() == 0 and stored() == []


def test_search_is_dutch_and_kinds_filter(networks, upload):
    publish(networks.samen030, "Vrijwilligers werven in de buurten", upload, kind="project_plan")
    publish(networks.samen030, "Modelstatuten", upload, tags="juridisch")
    client = network_client(network_user(networks.samen030, "analyst"))
    page = text(client.get("/netwerk/samen030/kennis/", {"q": "vrijwilliger buurt"}))
    assert "Vrijwilligers werven" in page and "Modelstatuten" not in page
    page = text(client.get("/netwerk/samen030/kennis/", {"q": "juridisch"}))
    assert "Modelstatuten" in page and "Vrijwilligers werven" not in page
    page = text(client.get("/netwerk/samen030/kennis/", {"kind": "statutes"}))
    assert "Modelstatuten" in page and "Vrijwilligers werven" not in page


def test_a_manager_withdraws_and_the_download_is_gone(networks, upload):
    samen = publish(networks.samen030, "Modelstatuten SAMEN030", upload)
    client = network_client(network_user(networks.samen030))
    assert text(client.get(f"/netwerk/samen030/kennis/{samen.pk}/intrekken/"))
    assert client.post(f"/netwerk/samen030/kennis/{samen.pk}/intrekken/").status_code == 302
    assert client.get(f"/netwerk/samen030/kennis/{samen.pk}/bestand/").status_code == 404
    assert "Modelstatuten SAMEN030" not in text(client.get("/netwerk/samen030/kennis/"))


# --- the cooperative's side ---------------------------------------------------------------------


def test_a_member_cooperatives_board_reads_its_networks_and_the_national_ones(
    alfa, beta, networks, upload, samples
):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.rijnmond, beta.cooperative)
    samen = publish(networks.samen030, "Modelstatuten SAMEN030", upload)
    wijk = publish(networks.wijk500, "Triple Aim in de wijk", upload)
    rijn = publish(networks.rijnmond, "Projectplan Rijnmond", upload)
    client = logged_in_client(alfa)
    assert 'href="/kennisnetwerk/"' in client.get("/").content.decode()
    page = text(client.get("/kennisnetwerk/"))
    assert "Modelstatuten SAMEN030" in page and "Triple Aim in de wijk" in page
    assert "Projectplan Rijnmond" not in page
    download = client.get(f"/kennisnetwerk/{wijk.pk}/bestand/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == samples.pdf
    assert client.get(f"/kennisnetwerk/{rijn.pk}/bestand/").status_code == 404
    # beta is outside SAMEN030: neither SAMEN030's nor 500WIJK's documents exist for it.
    other = logged_in_client(beta)
    page = text(other.get("/kennisnetwerk/"))
    assert "Projectplan Rijnmond" in page
    assert "Modelstatuten SAMEN030" not in page and "Triple Aim in de wijk" not in page
    for document in (samen, wijk):
        assert other.get(f"/kennisnetwerk/{document.pk}/bestand/").status_code == 404


def test_an_ended_membership_closes_the_library(alfa, beta, networks, upload):
    from django.utils import timezone

    membership = membership_make(networks.samen030, alfa.cooperative)
    samen = publish(networks.samen030, "Modelstatuten SAMEN030", upload)
    with schema_context("public"):
        membership.status = "ended"
        membership.ended_at = timezone.now()
        membership.save()
    client = logged_in_client(alfa)
    assert "Modelstatuten SAMEN030" not in text(client.get("/kennisnetwerk/"))
    assert client.get(f"/kennisnetwerk/{samen.pk}/bestand/").status_code == 404


def test_coordinators_read_plain_members_do_not(alfa, beta, networks, upload):
    membership_make(networks.samen030, alfa.cooperative)
    publish(networks.samen030, "Modelstatuten SAMEN030", upload)
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    client = logged_in_client(alfa, member=coordinator)
    page = text(client.get("/kennisnetwerk/"))
    assert "Modelstatuten SAMEN030" in page
    assert "/kennisnetwerk/voorstellen/" not in page  # suggesting is the board's
    assert client.get("/kennisnetwerk/voorstellen/").status_code == 403
    plain = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, name="Gewoon Lid"))
    assert 'href="/kennisnetwerk/"' not in plain.get("/").content.decode()
    assert plain.get("/kennisnetwerk/").status_code == 403


def test_a_boards_suggestion_waits_for_the_manager_and_then_reaches_the_members(
    alfa, beta, networks, upload, stored
):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    client = logged_in_client(alfa)
    assert text(client.get("/kennisnetwerk/voorstellen/"))
    response = client.post(
        "/kennisnetwerk/voorstellen/",
        {
            "network": networks.samen030.pk,
            "kind": "project_plan",
            "title": "Projectplan buurtkamer",
            "file": upload("buurtkamer.pdf"),
        },
    )
    assert response.status_code == 302
    with schema_context("public"):
        document = Document.objects.get()
    assert document.status == Document.Status.SUGGESTED
    page = text(client.get("/kennisnetwerk/"))
    assert "Uw voorstellen" in page and "voorgesteld" in page
    # Not yet for the other members, nor downloadable by them.
    assert "Projectplan buurtkamer" not in text(logged_in_client(beta).get("/kennisnetwerk/"))
    manager = network_client(network_user(networks.samen030))
    page = text(manager.get("/netwerk/samen030/kennis/"))
    assert "Voorgesteld door aangesloten coöperaties" in page and "Wijkcoöperatie Alfa" in page
    analyst = network_client(network_user(networks.samen030, "analyst"))
    assert "Projectplan buurtkamer" not in text(analyst.get("/netwerk/samen030/kennis/"))
    assert analyst.get(f"/netwerk/samen030/kennis/{document.pk}/bestand/").status_code == 404
    assert analyst.post(f"/netwerk/samen030/kennis/{document.pk}/publiceren/").status_code == 403
    response = manager.post(f"/netwerk/samen030/kennis/{document.pk}/publiceren/")
    assert response.status_code == 302
    assert "Projectplan buurtkamer" in text(logged_in_client(beta).get("/kennisnetwerk/"))


def test_a_board_outside_any_network_is_told_so(alfa, beta, networks):
    page = text(logged_in_client(alfa).get("/kennisnetwerk/"))
    assert "nog geen lid van een netwerk" in page


def test_a_manager_edits_a_document_through_the_page(networks, upload, samples):
    samen = publish(networks.samen030, "Modelstatuten", upload)
    client = network_client(network_user(networks.samen030))
    page = text(client.get(f"/netwerk/samen030/kennis/{samen.pk}/bewerken/"))
    assert 'value="Modelstatuten"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(
        f"/netwerk/samen030/kennis/{samen.pk}/bewerken/",
        {"kind": "statutes", "title": "Modelstatuten 2027", "tags": "statuten"},
    )
    assert response.status_code == 302
    samen.refresh_from_db()
    assert samen.title == "Modelstatuten 2027" and samen.file  # the file stays
    # A link on a file document is refused, and the title stays as it was.
    response = client.post(
        f"/netwerk/samen030/kennis/{samen.pk}/bewerken/",
        {"kind": "statutes", "title": "Anders", "link": "https://example.nl/"},
    )
    assert response.status_code == 400
    samen.refresh_from_db()
    assert samen.title == "Modelstatuten 2027" and not samen.link


def test_a_download_is_an_attachment_the_browser_does_not_sniff(alfa, beta, networks, upload):
    membership_make(networks.samen030, alfa.cooperative)
    samen = publish(networks.samen030, "Modelstatuten", upload)
    download = logged_in_client(alfa).get(f"/kennisnetwerk/{samen.pk}/bestand/")
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
