"""The welcome email task is idempotent."""

from django.core import mail
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.tasks import send_welcome_email
from tests.factories import PASSWORD


def test_welcome_email_task_is_idempotent(alfa, django_capture_on_commit_callbacks):
    with schema_context(alfa.schema):
        user = User.objects.create_user("nieuw@alfa.example.nl", PASSWORD, full_name="Nieuw Lid")
        first = send_welcome_email.delay(user_id=user.pk).get()
        second = send_welcome_email.delay(user_id=user.pk).get()
    assert first == {"schema": alfa.schema, "sent": True, "to": "nieuw@alfa.example.nl"}
    assert second == {"schema": alfa.schema, "sent": False}
    assert len(mail.outbox) == 1
