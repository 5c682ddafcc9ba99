"""Project proposals through the API: submit, support once (a second time is a structured
refusal and writes nothing), the board moves a proposal on, approval gives a project; another
cooperative's member reaches nothing. The OpenAPI schema lists the endpoints."""

from django.core import mail as outbox
from django_tenants.utils import schema_context

from cooperatives.proposals.models import Project, Proposal, ProposalSupport
from tests.clients import FORBIDDEN, NOT_FOUND, error_codes, logged_in_client, post_json

LIST = "/api/v1/proposals/"


def submit(client, **extra):
    data = {
        "title": "Buurtbibliotheek",
        "description": "Een kastje met boeken bij de bakker.",
        "contact": "06 22222222",
        "needs_space": True,
        "budget": "120.00",
        **extra,
    }
    return post_json(client, LIST, data)


def test_submit_support_and_handle_through_the_api(
    alfa, beta, people, django_capture_on_commit_callbacks
):
    proposer = logged_in_client(alfa, member=people.proposer)
    with django_capture_on_commit_callbacks(execute=True):
        created = submit(proposer)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "received" and data["budget"] == "120.00"
    assert [step["status"] for step in data["history"]] == ["received"]
    pk = data["id"]
    assert len(outbox.outbox) == 1

    supporter = logged_in_client(alfa, member=people.supporter)
    first = supporter.post(f"{LIST}{pk}/support/")
    assert first.status_code == 200 and first.json() == {"supporters": 1, "supported": True}
    second = supporter.post(f"{LIST}{pk}/support/")
    assert second.status_code == 400
    assert error_codes(second) == [(None, "already_supported")]
    with schema_context(alfa.schema):
        assert ProposalSupport.objects.count() == 1

    status = f"{LIST}{pk}/status/"
    assert post_json(supporter, status, {"status": "being_discussed"}).json() == FORBIDDEN
    board = logged_in_client(alfa)
    refused = post_json(board, status, {"status": "declined"})
    assert refused.status_code == 400 and error_codes(refused) == [("reasons", "reasons_required")]
    with django_capture_on_commit_callbacks(execute=True):
        moved = post_json(board, status, {"status": "approved_with_conditions"})
    assert moved.status_code == 200 and moved.json()["status"] == "approved_with_conditions"
    assert len(outbox.outbox) == 2 and f"/projectvoorstellen/{pk}/" in outbox.outbox[-1].body
    project_id = moved.json()["project_id"]
    project = supporter.get(f"/api/v1/projects/{project_id}/").json()
    assert project["budget"] == "120.00" and project["members"][0]["position"] == "chair"

    spent = post_json(
        board,
        f"/api/v1/projects/{project_id}/spending/",
        {"spent_on": "2026-01-05", "description": "Kastje", "amount": "80.00"},
    )
    assert spent.status_code == 201
    update = post_json(supporter, f"/api/v1/projects/{project_id}/updates/", {"text": "Hoi"})
    assert update.status_code == 400 and error_codes(update) == [(None, "not_in_group")]
    listed = supporter.get("/api/v1/projects/").json()["results"]
    assert [(p["id"], p["spent"]) for p in listed] == [(project_id, "80.00")]
    with schema_context(beta.schema):
        assert not Proposal.objects.exists() and not Project.objects.exists()


def test_the_list_filters_by_state(alfa, people):
    client = logged_in_client(alfa, member=people.proposer)
    submit(client)
    assert len(client.get(LIST).json()["results"]) == 1
    assert client.get(f"{LIST}?status=received").json()["results"][0]["title"] == "Buurtbibliotheek"
    assert client.get(f"{LIST}?status=declined").json()["results"] == []
    assert len(client.get(f"{LIST}?status=open").json()["results"]) == 1


def test_another_cooperatives_member_reaches_nothing(alfa, beta, people, beta_people):
    created = submit(logged_in_client(beta, member=beta_people.proposer)).json()
    stranger = logged_in_client(beta, member=beta_people.supporter)
    stranger.defaults["HTTP_HOST"] = alfa.host
    assert stranger.get(LIST).status_code == 403
    assert stranger.post(f"{LIST}{created['id']}/support/").status_code == 403
    alfa_member = logged_in_client(alfa, member=people.supporter)
    assert alfa_member.get(f"{LIST}{created['id']}/").json() == NOT_FOUND
    assert alfa_member.post(f"{LIST}{created['id']}/support/").json() == NOT_FOUND
    with schema_context(beta.schema):
        assert not ProposalSupport.objects.exists()


def test_the_openapi_schema_lists_the_proposal_endpoints(alfa):
    schema = logged_in_client(alfa).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else {}
    if not paths:
        import yaml

        paths = yaml.safe_load(schema.content)["paths"]
    for path in (
        "/api/v1/proposals/",
        "/api/v1/proposals/{id}/",
        "/api/v1/proposals/{id}/support/",
        "/api/v1/proposals/{id}/status/",
        "/api/v1/projects/",
        "/api/v1/projects/{id}/",
    ):
        assert path in paths
