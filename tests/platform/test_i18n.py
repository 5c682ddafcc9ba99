"""Pages are Dutch first, with English available: the catalog translates every string the code
and the templates contain."""

import shutil
from pathlib import Path

import polib
from django.core.management import call_command
from django.test import override_settings

from tests.clients import client_for, logged_in_client

REPO_ROOT = Path(__file__).resolve().parents[2]


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
    # The platform's catalog, plus the catalogs that newer apps ship in their own locale folder.
    catalogs = [REPO_ROOT / "platform/noaber/locale/en/LC_MESSAGES/django.po"]
    for folder in ("tenants", "cooperatives", "shared", "billing"):
        catalogs += sorted((REPO_ROOT / folder).glob("**/locale/en/LC_MESSAGES/django.po"))
    translated: set[str] = set()
    compiled: set[str] = set()
    for path in catalogs:
        translated |= {
            e.msgid for e in polib.pofile(str(path)) if e.translated() and "fuzzy" not in e.flags
        }
        compiled |= {e.msgid for e in polib.mofile(str(path.with_suffix(".mo")))}
    assert fresh - translated == set()
    assert compiled >= fresh  # the compiled files are current too


def test_every_plural_in_the_catalog_has_its_english_plural():
    """A merge once kept only the singular of every plural ("%(n)s day" for 3 days): each
    entry with a plural has both English forms, and the compiled file has them too."""
    catalog = REPO_ROOT / "platform/noaber/locale/en/LC_MESSAGES"
    plurals = [e for e in polib.pofile(str(catalog / "django.po")) if e.msgid_plural]
    assert plurals
    incomplete = [e.msgid for e in plurals if not all(e.msgstr_plural.get(n) for n in (0, 1))]
    assert incomplete == []
    compiled = {e.msgid: e for e in polib.mofile(str(catalog / "django.mo")) if e.msgid_plural}
    assert all(compiled[e.msgid].msgstr_plural.get(1) for e in plurals)
