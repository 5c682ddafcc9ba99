"""shared.mail: every mail in the recipient's language, with its link and the cooperative's
name, sent only once the transaction commits."""

from types import SimpleNamespace

from django.core import mail as outbox
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from shared.mail import Mail, cooperative_link, mail_send


def compose():
    return Mail(
        subject=_("Bevestig de geholpen uren"),
        body=_("Wilt u dat bevestigen?"),
        link=cooperative_link("/diensten/7/"),
        link_label=_("Bevestig de uren"),
    )


def test_each_recipient_gets_the_mail_in_their_language_with_the_link(alfa, beta):
    dutch = SimpleNamespace(email="nel@alfa.example.nl", language="nl")
    english = SimpleNamespace(email="emma@alfa.example.nl", language="en")
    nobody = SimpleNamespace(email="", language="nl")
    with schema_context(alfa.schema):
        mail_send(to=[dutch, english, nobody], compose=compose, after_commit=False)
    assert [m.to for m in outbox.outbox] == [["nel@alfa.example.nl"], ["emma@alfa.example.nl"]]
    dutch_mail, english_mail = outbox.outbox
    assert dutch_mail.subject == "Bevestig de geholpen uren"
    assert english_mail.subject != dutch_mail.subject
    for sent in outbox.outbox:
        assert f"{alfa.host}/diensten/7/" in sent.body
        assert alfa.cooperative.name in sent.body
        assert "beantwoord" not in sent.body.lower() or sent.reply_to


def test_nothing_is_sent_when_the_transaction_rolls_back(
    alfa, beta, django_capture_on_commit_callbacks
):
    member = SimpleNamespace(email="nel@alfa.example.nl", language="nl")
    with schema_context(alfa.schema):
        try:
            with transaction.atomic():
                mail_send(to=[member], compose=compose)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert outbox.outbox == []
    with schema_context(alfa.schema), django_capture_on_commit_callbacks(execute=True):
        mail_send(to=[member], compose=compose)
    assert len(outbox.outbox) == 1
