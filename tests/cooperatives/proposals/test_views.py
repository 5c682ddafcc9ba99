"""The proposals pages: reachable from the menu, a member submits through the form and
supports once, the board handles a proposal (reasons needed to decline), approval leads to the
project page; a member of another cooperative sees and supports nothing here."""

import html

from django.core import mail as outbox
from django_tenants.utils import schema_context

from cooperatives.proposals import services
from cooperatives.proposals.models import Project, Proposal, ProposalSupport
from tests.clients import logged_in_client
from tests.pages import audit


def page(response) -> str:
    return html.unescape(response.content.decode())


def make(coop, people, **extra):
    with schema_context(coop.schema):
        return services.proposal_submit(
            actor=people.proposer,
            title="Bankje bij de speeltuin",
            description="Een bank voor ouders en ouderen.",
            contact="06 11111111",
            budget="400",
            **extra,
        )


def test_members_and_the_board_find_the_proposals_in_the_menu(alfa, people):
    member_page = page(logged_in_client(alfa, member=people.supporter).get("/"))
    assert 'href="/projectvoorstellen/"' in member_page and "Projectvoorstellen" in member_page
    assert "Projectvoorstellen behandelen" not in member_page
    board_page = page(logged_in_client(alfa).get("/"))
    assert 'href="/projectvoorstellen/?status=open"' in board_page


def test_a_member_submits_a_proposal_through_the_form(
    alfa, beta, people, django_capture_on_commit_callbacks
):
    client = logged_in_client(alfa, member=people.proposer)
    form = client.get("/projectvoorstellen/nieuw/")
    assert form.status_code == 200 and 'name="partner"' not in page(form)
    found = audit(page(form))
    assert found.html_lang == "nl" and found.has_skip_link
    assert found.inputs and all(i.get("id") in found.label_for for i in found.inputs)
    refused = client.post("/projectvoorstellen/nieuw/", {"title": "", "description": "x"})
    assert refused.status_code == 400 and 'class="error-summary"' in page(refused)
    with schema_context(alfa.schema):
        assert not Proposal.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/projectvoorstellen/nieuw/",
            {
                "title": "Bankje bij de speeltuin",
                "description": "Een bank voor ouders en ouderen.",
                "needs_money": "on",
                "budget": "400,50",
                "contact": "06 11111111",
            },
        )
    with schema_context(alfa.schema):
        proposal = Proposal.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/projectvoorstellen/{proposal.pk}/"
    assert str(proposal.budget) == "400.50" and proposal.needs_money
    assert len(outbox.outbox) == 1
    detail = page(client.get(done["Location"]))
    assert "Bankje bij de speeltuin" in detail and "ontvangen" in detail
    with schema_context(beta.schema):
        assert not Proposal.objects.exists()


def test_a_coordinator_may_submit_for_a_partner(alfa, people):
    client = logged_in_client(alfa, member=people.coordinator)
    assert 'name="partner"' in page(client.get("/projectvoorstellen/nieuw/"))
    client.post(
        "/projectvoorstellen/nieuw/",
        {
            "partner": people.partner.pk,
            "title": "Repair café",
            "description": "Elke maand",
            "contact": "linde@example.nl",
        },
    )
    with schema_context(alfa.schema):
        assert Proposal.objects.get().partner_id == people.partner.pk


def test_a_member_supports_once_and_withdraws(alfa, people):
    proposal = make(alfa, people)
    client = logged_in_client(alfa, member=people.supporter)
    url = f"/projectvoorstellen/{proposal.pk}/"
    assert "Dit voorstel steunen" in page(client.get(url))
    assert client.post(f"{url}steun/").status_code == 302
    shown = page(client.get(url))
    assert "1 lid steunt dit voorstel." in shown and "Mijn steun intrekken" in shown
    # A second support (say, from a second tab) is refused; nothing more is written.
    again = client.post(f"{url}steun/")
    assert again.status_code == 400 and "U steunt dit voorstel al." in page(again)
    with schema_context(alfa.schema):
        assert ProposalSupport.objects.count() == 1
    client.post(f"{url}steun/", {"withdraw": "1"})
    with schema_context(alfa.schema):
        assert ProposalSupport.objects.count() == 0


def test_the_board_handles_a_proposal_and_approval_leads_to_the_project(
    alfa, people, django_capture_on_commit_callbacks
):
    proposal = make(alfa, people)
    url = f"/projectvoorstellen/{proposal.pk}/behandelen/"
    assert logged_in_client(alfa, member=people.supporter).get(url).status_code == 403
    board = logged_in_client(alfa)
    assert "Voorstel behandelen" in page(board.get(f"/projectvoorstellen/{proposal.pk}/"))
    refused = board.post(url, {"status": "declined", "reasons": ""})
    assert refused.status_code == 400
    assert "Schrijf op waarom het voorstel wordt afgewezen." in page(refused)
    with schema_context(alfa.schema):
        proposal.refresh_from_db()
        assert proposal.status == "received"
    with django_capture_on_commit_callbacks(execute=True):
        done = board.post(
            url,
            {
                "status": "approved_with_conditions",
                "conditions": "Overleg met de gemeente.",
                "record_decision": "on",
            },
        )
    assert done.status_code == 302
    with schema_context(alfa.schema):
        project = Project.objects.get()
        proposal.refresh_from_db()
        number = proposal.decision.number
    assert f"/projectvoorstellen/{proposal.pk}/" in outbox.outbox[-1].body
    shown = page(board.get(f"/projectvoorstellen/{proposal.pk}/"))
    assert f'href="/projecten/{project.pk}/"' in shown and number in shown
    project_page = page(board.get(f"/projecten/{project.pk}/"))
    assert "Pim Plan: voorzitter" in project_page and "Begroting € 400,00" in project_page
    board.post(
        f"/projecten/{project.pk}/uitgave/",
        {"spent_on": "01-01-2026", "description": "Hout", "amount": "120,25"},
    )
    board.post(f"/projecten/{project.pk}/bericht/", {"text": "De bank staat er."})
    project_page = page(board.get(f"/projecten/{project.pk}/"))
    assert "Hout" in project_page and "€ 120,25" in project_page
    assert "De bank staat er." in project_page
    assert "project" in page(board.get("/projecten/")).lower()


def test_a_member_of_another_cooperative_cannot_see_or_support(alfa, beta, people, beta_people):
    proposal = make(beta, beta_people)
    stranger = logged_in_client(beta, member=beta_people.supporter)
    stranger.defaults["HTTP_HOST"] = alfa.host
    assert stranger.get("/projectvoorstellen/").status_code in (302, 403)
    assert stranger.post(f"/projectvoorstellen/{proposal.pk}/steun/").status_code in (302, 403)
    # A member of alfa asking for beta's proposal finds nothing: ids are per cooperative.
    alfa_member = logged_in_client(alfa, member=people.supporter)
    assert alfa_member.get(f"/projectvoorstellen/{proposal.pk}/").status_code == 404
    assert alfa_member.post(f"/projectvoorstellen/{proposal.pk}/steun/").status_code == 404
    with schema_context(beta.schema):
        assert not ProposalSupport.objects.exists()
    with schema_context(alfa.schema):
        assert not ProposalSupport.objects.exists()


def test_the_list_filters_by_state_and_reads_in_english(alfa, people):
    first = make(alfa, people)
    second = make(alfa, people)
    with schema_context(alfa.schema):
        services.proposal_handle(
            actor=people.board, proposal=second, status="declined", reasons="Te duur."
        )
    client = logged_in_client(alfa, member=people.supporter)
    declined = page(client.get("/projectvoorstellen/?status=declined"))
    assert f"/projectvoorstellen/{second.pk}/" in declined
    assert f"/projectvoorstellen/{first.pk}/" not in declined
    undecided = page(client.get("/projectvoorstellen/?status=open"))
    assert f"/projectvoorstellen/{first.pk}/" in undecided
    assert f"/projectvoorstellen/{second.pk}/" not in undecided
    client.cookies["django_language"] = "en"
    english = page(client.get(f"/projectvoorstellen/{second.pk}/"))
    assert "Reasons for declining" in english and "History" in english
    assert "Te duur." in english
