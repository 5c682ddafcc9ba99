"""Pages are usable with a keyboard and a screen reader: a language attribute, a skip link, a
label for every field, errors tied to fields."""

import re

import pytest

from tests.clients import client_for
from tests.pages import audit

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
