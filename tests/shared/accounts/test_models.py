"""Users are per schema and their passwords hashed with Argon2."""

from django_tenants.utils import schema_context

from shared.accounts.models import User


def test_users_are_per_schema_and_hashed_with_argon2(alfa, beta):
    with schema_context(alfa.schema):
        alfa_emails = set(User.objects.values_list("email", flat=True))
        assert User.objects.get(email=alfa.board_email).password.startswith("argon2")
    with schema_context(beta.schema):
        beta_emails = set(User.objects.values_list("email", flat=True))
    with schema_context("public"):
        public_emails = set(User.objects.values_list("email", flat=True))
    assert alfa_emails == {alfa.board_email}
    assert beta_emails == {beta.board_email}
    assert public_emails == {"beheer@samen030.example.nl"}
