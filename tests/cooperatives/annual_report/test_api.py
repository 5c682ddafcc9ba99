"""The annual report through the API: the same reports as the pages (drafts only for the
board and the kascommissie), every step, and structured refusals."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.annual_report.models import AnnualReport
from cooperatives.governance.models import Decision
from tests.clients import error_codes, logged_in_client, post_json

TODAY = timezone.localdate


def test_the_whole_way_through_the_api(alfa, beta, cast, last_year):
    board = logged_in_client(alfa, member=cast.alfa.board)
    made = post_json(board, "/api/v1/annual-reports/", {"year": last_year})
    assert made.status_code == 201
    body = made.json()
    assert body["status"] == "draft" and "points" in body["figures"]
    assert Decimal(body["figures"]["points"]["data"]["issued"]) >= 0

    again = post_json(board, "/api/v1/annual-reports/", {"year": last_year})
    assert again.status_code == 400 and error_codes(again) == [("year", "exists")]

    patched = board.patch(
        f"/api/v1/annual-reports/{last_year}/",
        {"foreword": "Beste buren"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["foreword"] == "Beste buren"

    member = logged_in_client(alfa, member=cast.alfa.member)
    assert member.get("/api/v1/annual-reports/").json()["results"] == [] or not any(
        r["year"] == last_year for r in member.get("/api/v1/annual-reports/").json()["results"]
    )
    assert member.get(f"/api/v1/annual-reports/{last_year}/").status_code == 404

    secretary = logged_in_client(alfa, member=cast.alfa.secretary)
    votes = {
        "decided_on": TODAY().isoformat(),
        "votes_for": 9,
        "votes_against": 0,
        "discharge_for": 9,
        "discharge_against": 0,
    }
    early = post_json(secretary, f"/api/v1/annual-reports/{last_year}/approve/", votes)
    assert early.status_code == 400 and error_codes(early) == [("decided_on", "not_reviewed")]

    assert (
        post_json(
            board,
            f"/api/v1/annual-reports/{last_year}/review/",
            {"findings": "x", "recommends_discharge": True},
        ).status_code
        == 403
    )
    audit = logged_in_client(alfa, member=cast.alfa.audit)
    reviewed = post_json(
        audit,
        f"/api/v1/annual-reports/{last_year}/review/",
        {"findings": "Alles klopt.", "recommends_discharge": True},
    )
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "reviewed"

    no_discharge = {k: v for k, v in votes.items() if not k.startswith("discharge")}
    missing = post_json(secretary, f"/api/v1/annual-reports/{last_year}/approve/", no_discharge)
    assert missing.status_code == 400
    assert error_codes(missing) == [("discharge_for", "counts_incomplete")]
    with schema_context(alfa.schema):
        assert not Decision.objects.exists()

    approved = post_json(secretary, f"/api/v1/annual-reports/{last_year}/approve/", votes)
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"]["outcome"] == "adopted"

    frozen = board.patch(
        f"/api/v1/annual-reports/{last_year}/",
        {"foreword": "Anders"},
        content_type="application/json",
    )
    assert frozen.status_code == 400 and error_codes(frozen) == [(None, "report_approved")]
    listed = member.get("/api/v1/annual-reports/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["year"] for r in rows] == [last_year]
    assert member.get(f"/api/v1/annual-reports/{last_year}/").json()["foreword"] == "Beste buren"

    with schema_context(beta.schema):
        assert not AnnualReport.objects.exists()
    assert logged_in_client(beta).get(f"/api/v1/annual-reports/{last_year}/").status_code == 404
