"""The board's page for all the cooperative's data: reached from the board's menu and from the
subscription page where a cooperative stops; the export is made by the task, its progress shown
in a <progress> bar (the page's own script, no inline script), a mail says when it is ready;
only board members download it, each download in the audit log."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from tenants.archive import services
from tenants.archive.models import CooperativeExport
from tenants.archive.selectors import export_progress
from tests.clients import client_as, logged_in_client, treasurer_client
from tests.factories import member_cast
from tests.pages import audit, body, text
from tests.state import audit_actions, board_member, last_audit_id

PAGE = "/gegevens-cooperatie/"


@pytest.fixture
def cast(alfa, beta):
    return member_cast(alfa, beta)


def test_the_board_finds_the_page_in_its_menu_and_on_the_subscription_page(alfa, beta, cast):
    board = logged_in_client(alfa)
    home = board.get("/")
    assert f'href="{PAGE}"' in body(home)
    assert "Alle gegevens downloaden" in text(home)
    subscription = board.get("/abonnement/")
    assert "Stoppen met Noaber" in text(subscription)
    assert f'href="{PAGE}"' in body(subscription)

    # A coordinator and the audit committee neither see the link nor open the page.
    for role in ("coordinator", "audit"):
        client = client_as(alfa, cast, role)
        assert f'href="{PAGE}"' not in body(client.get("/"))
        assert client.get(PAGE).status_code == 403


def test_asking_for_an_export_builds_it_mails_a_link_and_shows_it_done(
    alfa, beta, django_capture_on_commit_callbacks
):
    board = logged_in_client(alfa)
    page = board.get(PAGE)
    assert page.status_code == 200
    assert audit(body(page)).html_lang == "nl"
    mark = last_audit_id(alfa.schema)

    with django_capture_on_commit_callbacks(execute=True):
        response = board.post("/gegevens-cooperatie/export/")
    assert response.status_code == 302

    with schema_context(alfa.schema):
        (export,) = CooperativeExport.objects.all()
    assert export.status == CooperativeExport.Status.DONE
    assert export.requested_by_id == board_member(alfa).pk
    assert export.file.startswith(f"cooperative-exports/{alfa.schema}/")
    assert default_storage.exists(export.file)
    assert export.tables > 50 and export.rows > 0
    assert audit_actions(alfa.schema, mark) == ["cooperative.export"]

    (sent,) = mail.outbox
    assert sent.to == [alfa.board_email]
    assert "staan klaar" in sent.subject
    assert (
        f"http://alfa.noaber.test:8000{PAGE}" in sent.body or f"alfa.noaber.test{PAGE}" in sent.body
    )

    done = board.get(PAGE)
    assert f"/gegevens-cooperatie/export/{export.token}/download/" in body(done)
    assert export.sha256 in body(done)
    # Nothing else runs on the page once it is done: no script at all.
    assert "<script" not in body(done)


def test_a_running_export_shows_a_progress_bar_fed_by_our_own_script(alfa, beta):
    """While the task runs, the page shows a labelled <progress> with a live status text, and
    loads the polling script from our own static files: no inline script (the CSP forbids it)."""
    with schema_context(alfa.schema):
        export = CooperativeExport.objects.create(
            requested_by=board_member(alfa), status=CooperativeExport.Status.RUNNING
        )
        from django.core.cache import cache

        cache.set(services.progress_key(export), {"done": 30, "total": 60})
        assert export_progress(export=export).percent == 50
    board = logged_in_client(alfa)
    page = body(board.get(PAGE))
    progress = re.search(r'<progress id="([^"]+)" max="100" value="(\d+)">', page)
    assert progress and progress.group(2) == "50"
    assert f'<label for="{progress.group(1)}">' in page
    assert 'role="status"' in page and "50% gedaan" in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all(
        'src="/static/archive/progress.js"' in a and not s.strip() for a, s in scripts
    )
    # The form to ask for another is not offered while one is being made.
    assert 'action="/gegevens-cooperatie/export/"' not in page

    status = board.get(f"/gegevens-cooperatie/export/{export.token}/voortgang/").json()
    assert status == {
        "status": "running",
        "percent": 50,
        "text": "Bezig: 50% gedaan.",
        "finished": False,
    }
    # Another cooperative's board does not find it.
    assert (
        logged_in_client(beta)
        .get(f"/gegevens-cooperatie/export/{export.token}/voortgang/")
        .status_code
        == 404
    )


def test_only_board_members_download_and_each_download_is_audited(
    alfa, beta, cast, django_capture_on_commit_callbacks
):
    with schema_context(alfa.schema), django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(actor=board_member(alfa))
    with schema_context(alfa.schema):
        export.refresh_from_db()
    url = f"/gegevens-cooperatie/export/{export.token}/download/"
    mark = last_audit_id(alfa.schema)

    for role in ("coordinator", "audit"):
        assert client_as(alfa, cast, role).get(url).status_code == 403
    assert logged_in_client(beta).get(url).status_code == 404
    assert audit_actions(alfa.schema, mark) == []

    response = treasurer_client(alfa).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:4] == b"PK\x03\x04"
    assert audit_actions(alfa.schema, mark) == ["cooperative.export_download"]


def test_an_expired_export_is_refused_and_not_audited(
    alfa, beta, django_capture_on_commit_callbacks
):
    with schema_context(alfa.schema), django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(actor=board_member(alfa))
    with schema_context(alfa.schema):
        export.refresh_from_db()
    default_storage.delete(export.file)
    mark = last_audit_id(alfa.schema)
    board = logged_in_client(alfa)
    response = board.get(f"/gegevens-cooperatie/export/{export.token}/download/", follow=True)
    assert "Dit archief is verlopen" in text(response)
    assert audit_actions(alfa.schema, mark) == []


def test_the_task_is_idempotent(alfa, beta, django_capture_on_commit_callbacks):
    """A second delivery of a finished export's task leaves it (and its file) as it was;
    asking again while one waits gives the waiting one."""
    with schema_context(alfa.schema):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            first = services.export_request(actor=board_member(alfa))
            again = services.export_request(actor=board_member(alfa))
        assert again.pk == first.pk and len(queued) == 1
        services.export_build(export_id=first.pk)
        first.refresh_from_db()
        made = (first.file, first.sha256, first.finished_at)
        assert services.export_build(export_id=first.pk) is None
        first.refresh_from_db()
        assert (first.file, first.sha256, first.finished_at) == made
        assert CooperativeExport.objects.count() == 1


def test_the_board_sets_the_retention_period_within_bounds(alfa, beta):
    board = logged_in_client(alfa)
    mark = last_audit_id(alfa.schema)
    for wrong in ("2", "85", "twaalf", ""):
        response = board.post("/gegevens-cooperatie/bewaartermijn/", {"months": wrong})
        assert response.status_code == 400
        assert "maanden" in text(response) or "Vul" in text(response) or "getal" in text(response)
    alfa.cooperative.refresh_from_db()
    assert alfa.cooperative.retention_months == 12
    assert audit_actions(alfa.schema, mark) == []

    response = board.post("/gegevens-cooperatie/bewaartermijn/", {"months": "24"}, follow=True)
    assert "De bewaartermijn is opgeslagen." in text(response)
    alfa.cooperative.refresh_from_db()
    beta.cooperative.refresh_from_db()
    assert (alfa.cooperative.retention_months, beta.cooperative.retention_months) == (24, 12)
    assert audit_actions(alfa.schema, mark) == ["cooperative.retention"]
