"""Pages are Dutch first with English available, and usable with a keyboard and a screen
reader: a language attribute, a skip link, a label for every field, errors tied to fields."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.clients import client_for, logged_in_client
from tests.pages import audit

REPO_ROOT = Path(__file__).resolve().parents[1]


PAGES = [
    ("noaber.test", "/"),
    ("noaber.test", "/aanmelden/"),
    ("noaber.test", "/netwerk/inloggen/"),
    ("alfa.noaber.test", "/inloggen/"),
    ("beta.noaber.test", "/inloggen/"),
]


@pytest.mark.parametrize(("host", "path"), PAGES)
def test_page_is_dutch_labelled_and_keyboard_friendly(coops, db, host, path):
    response = client_for(host).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    found = audit(html)
    assert found.html_lang == "nl"
    assert found.has_skip_link
    assert 'name="viewport"' in html  # fits a phone
    for field in found.inputs:
        assert field.get("id") in found.label_for, f"field without a label: {field}"


def test_form_errors_are_tied_to_their_fields(coops, db):
    html = client_for("noaber.test").post("/aanmelden/", {"slug": "x"}).content.decode()
    slug_input = re.search(r"<input[^>]*name=\"slug\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in slug_input
    assert "id_slug_error" in slug_input  # aria-describedby points at the message
    assert 'href="#id_slug"' in html  # the summary links to the field


def test_english_is_available(alfa):
    client = logged_in_client(alfa)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    home = client.get("/").content.decode()
    assert '<html lang="en">' in home
    assert "Welcome, Anna" in home
    assert "Klussen (paid jobs) cost € 4.50 per hour." in home
    api = client_for("noaber.test", HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/cooperatives/",
        {
            "name": "X",
            "slug": "www",
            "board_member_name": "Y",
            "email": "y@example.nl",
            "password": "Zonnebloem-42!",
            "template": "leeg",
        },
        content_type="application/json",
    )
    assert api.json()["errors"][0]["detail"].startswith("The subdomain 'www' is reserved")


def test_dutch_is_the_default_even_for_a_browser_without_preference(alfa):
    home = logged_in_client(alfa).get("/").content.decode()
    assert '<html lang="nl">' in home
    assert "Klussen kosten € 4,50 per uur." in home


def test_english_catalog_covers_every_string(tmp_path, monkeypatch, db):
    """Run makemessages over a scratch copy of the sources (without their locale folders, which
    makemessages would otherwise update in place) and check that the committed catalog
    translates every string the code and templates contain now."""
    skip = shutil.ignore_patterns("locale", "__pycache__", "migrations")
    for folder in ("platform", "tenants", "cooperatives", "shared", "billing"):
        shutil.copytree(REPO_ROOT / folder, tmp_path / folder, ignore=skip)
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["en"], verbosity=0, no_location=True)
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po"))}
    assert "Meld uw coöperatie aan" in fresh  # the scan did find the templates
    committed = polib.pofile(str(REPO_ROOT / "platform/noaber/locale/en/LC_MESSAGES/django.po"))
    translated = {e.msgid for e in committed if e.translated() and "fuzzy" not in e.flags}
    assert fresh - translated == set()
    mo = polib.mofile(str(REPO_ROOT / "platform/noaber/locale/en/LC_MESSAGES/django.mo"))
    assert {e.msgid for e in mo} >= fresh  # the compiled file is current too


def test_openapi_schema_documents_the_sign_up(coops, db):
    schema = client_for("noaber.test").get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/cooperatives/"]["post"]
    assert operation["operationId"] == "cooperative_sign_up"
    assert set(operation["responses"]) >= {"201", "400"}
    tenant_schema = client_for("alfa.noaber.test").get("/api/v1/schema/?format=json").json()
    assert "/api/v1/me/" in tenant_schema["paths"]
    assert "/api/v1/cooperatives/" not in tenant_schema["paths"]


def test_openapi_schema_generates_without_warnings(coops, db):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "noaber.urls_public",
        "--file",
        "/dev/null",
    )
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "noaber.urls_tenant",
        "--file",
        "/dev/null",
    )
