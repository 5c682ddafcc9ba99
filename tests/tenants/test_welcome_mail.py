"""The welcome mail to a new cooperative's first board member goes through shared.mail: it
names the cooperative, links to its login on its own subdomain and to the page where the board
sets the contact address, and asks nobody to reply to a no-reply address."""

from __future__ import annotations

from django.core import mail

from tenants.services import cooperative_sign_up
from tests.factories import PASSWORD


def test_the_welcome_mail_links_to_the_login_and_the_details_page(
    coops, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_sign_up(
            name="Buurtkracht Zuid",
            slug="zuid",
            place="Utrecht",
            board_member_name="Fatima el Amrani",
            email="fatima@zuid.example.nl",
            password=PASSWORD,
            template="leeg",
        )
    (sent,) = mail.outbox
    assert sent.to == ["fatima@zuid.example.nl"]
    assert "Buurtkracht Zuid" in sent.subject
    assert "Inloggen:\n    https://zuid.noaber.test/inloggen/" in sent.body
    assert "https://zuid.noaber.test/cooperatie/gegevens/" in sent.body
    assert "Beantwoord" not in sent.body and sent.reply_to == []
