"""Signing up a cooperative on the apex domain, by page and by API: it is live at once, every
validation error has its own Dutch message, and a failure leaves nothing behind."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from cooperatives.rules.models import Rulebook
from cooperatives.setup.models import Cluster
from shared.accounts.models import User
from tenants import services
from tenants.models import Cooperative, Domain
from tenants.tasks import send_welcome_email
from tests.clients import client_for
from tests.factories import PASSWORD, SIGN_UP
from tests.state import registry_snapshot
from tests.texts import SIGN_UP_REFUSALS

# --- the happy paths -------------------------------------------------------------------------


def test_sign_up_page_creates_a_live_cooperative_whose_board_member_can_log_in(
    apex_client, coops, db, django_capture_on_commit_callbacks
):
    page = apex_client.get("/aanmelden/")
    assert page.status_code == 200
    body = page.content.decode()
    for label in ("Naam van de coöperatie", "Subdomein", "Uw e-mailadres", "Kies een wachtwoord"):
        assert label in body

    with django_capture_on_commit_callbacks(execute=True):
        response = apex_client.post("/aanmelden/", SIGN_UP)
    assert response.status_code == 302
    done = apex_client.get(response["Location"])
    assert "Buurtkracht Zuid staat klaar" in done.content.decode()
    assert "https://zuid.noaber.test/inloggen/" in done.content.decode()

    coop = Cooperative.objects.get(slug="zuid")
    assert coop.status == Cooperative.Status.TRIAL
    assert coop.schema_name == "coop_zuid"
    assert Domain.objects.get(tenant=coop).domain == "zuid.noaber.test"

    # Live at once: the board member logs in on the new subdomain.
    client = client_for("zuid.noaber.test")
    login = client.post("/inloggen/", {"username": SIGN_UP["email"], "password": PASSWORD})
    assert login.status_code == 302
    home = client.get("/").content.decode()
    assert "Welkom, Fatima" in home and "Buurtkracht Zuid" in home
    assert "U bent bestuurslid" in home
    assert "Reparaties" in home  # the Oost template's clusters

    # The welcome email went out after the commit, once.
    assert [m.to for m in mail.outbox] == [[SIGN_UP["email"]]]
    assert "zuid.noaber.test/inloggen/" in mail.outbox[0].body


def test_sign_up_api_creates_a_cooperative(apex_client, coops, db):
    response = apex_client.post(
        "/api/v1/cooperatives/",
        {**SIGN_UP, "slug": "Noord-West", "template": "wij"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "noord-west"
    assert data["status"] == "trial"
    assert data["url"] == "https://noord-west.noaber.test/"
    assert data["login_url"] == "https://noord-west.noaber.test/inloggen/"
    assert "password" not in data
    coop = Cooperative.objects.get(pk=data["id"])
    assert coop.schema_name == "coop_noord_west"
    with schema_context(coop.schema_name):
        assert list(Cluster.objects.values_list("name", flat=True)) == [
            "Beheer en onderhoud van woning en woonomgeving",
            "Zorg en aandacht voor elkaar",
            "(Auto)vervoer",
            "Maaltijden maken en verstrekken",
            "Administratie",
        ]
        rules = Rulebook.objects.get()
        assert (rules.starter_points, rules.min_balance, rules.max_balance) == (10, -20, 20)
        assert rules.points_per_hour == 2  # half an hour is 1 point
        assert User.objects.get().email == SIGN_UP["email"]
    client = client_for("noord-west.noaber.test")
    assert (
        client.post("/inloggen/", {"username": SIGN_UP["email"], "password": PASSWORD}).status_code
        == 302
    )


def test_templates_fill_the_new_schema(coops, db):
    oost = services.cooperative_sign_up(**{**SIGN_UP, "slug": "oost-test", "template": "oost"})
    leeg = services.cooperative_sign_up(**{**SIGN_UP, "slug": "leeg-test", "template": "leeg"})
    with schema_context(oost.cooperative.schema_name):
        rules = Rulebook.objects.get()
        clusters = {c.name: rules.compensation_for(c) for c in Cluster.objects.all()}
        assert clusters["Wandelen"] == "free" and clusters["Reparaties"] == "euros"
        assert len(clusters) == 7
        assert rules.euro_rate_per_hour == pytest.approx(4.5)
        assert (rules.max_service_hours, rules.max_open_services, rules.feedback_days) == (2, 1, 7)
        assert rules.klus_needs_network_check is True
        assert "niet aansprakelijk" in rules.liability_disclaimer
    with schema_context(leeg.cooperative.schema_name):
        assert Cluster.objects.count() == 0
        assert Rulebook.objects.count() == 0  # "Leeg": the board sets everything
    # Nothing of the new cooperatives leaked into the existing ones.
    with schema_context(coops["alfa"].schema):
        assert not Cluster.objects.filter(name__startswith="Beheer").exists()
        assert User.objects.filter(email=SIGN_UP["email"]).count() == 0


def test_welcome_email_task_is_idempotent(alfa, django_capture_on_commit_callbacks):
    with schema_context(alfa.schema):
        user = User.objects.create_user("nieuw@alfa.example.nl", PASSWORD, full_name="Nieuw Lid")
        first = send_welcome_email.delay(user_id=user.pk).get()
        second = send_welcome_email.delay(user_id=user.pk).get()
    assert first == {"schema": alfa.schema, "sent": True, "to": "nieuw@alfa.example.nl"}
    assert second == {"schema": alfa.schema, "sent": False}
    assert len(mail.outbox) == 1


# --- validation: each error its own message, nothing created ----------------------------------


@pytest.mark.parametrize(("field", "change", "code", "message"), SIGN_UP_REFUSALS)
def test_api_rejects_invalid_input_with_a_structured_error(
    apex_client, coops, db, field, change, code, message
):
    before = registry_snapshot()
    response = apex_client.post(
        "/api/v1/cooperatives/", {**SIGN_UP, **change}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["type"] == "validation_error"
    matching = [e for e in data["errors"] if e["attr"] == field]
    assert matching, data
    assert matching[0]["code"] == code
    assert message in matching[0]["detail"]
    assert registry_snapshot() == before
    assert mail.outbox == []


@pytest.mark.parametrize(("field", "change", "code", "message"), SIGN_UP_REFUSALS)
def test_page_shows_each_error_in_dutch_next_to_its_field(
    apex_client, coops, db, field, change, code, message
):
    before = registry_snapshot()
    response = apex_client.post("/aanmelden/", {**SIGN_UP, **change})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert message.replace("'", "&#x27;") in body
    assert 'role="alert"' in body  # the error summary is announced
    assert registry_snapshot() == before


def test_api_lists_several_errors_at_once(apex_client, coops, db):
    response = apex_client.post(
        "/api/v1/cooperatives/",
        {**SIGN_UP, "slug": "-", "email": "nee", "password": "123"},
        content_type="application/json",
    )
    attrs = {e["attr"] for e in response.json()["errors"]}
    assert {"slug", "email", "password"} <= attrs


# --- a failure halfway leaves nothing behind ---------------------------------------------------


def test_database_refusing_halfway_leaves_no_schema_domain_or_cooperative(
    apex_client, coops, db, django_capture_on_commit_callbacks
):
    """A trigger on the template's user table is cloned into the new schema, so PostgreSQL
    itself refuses the board member's row after the schema, domain and registry row exist."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION public.noaber_test_refuse() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'geweigerd door de database'; END $$;
            CREATE TRIGGER refuse_users BEFORE INSERT ON noaber_template.accounts_user
            FOR EACH ROW EXECUTE FUNCTION public.noaber_test_refuse();
            """
        )
    before = registry_snapshot()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Exception, match="geweigerd door de database"),
    ):
        services.cooperative_sign_up(**SIGN_UP)
    assert registry_snapshot() == before
    assert not schema_exists("coop_zuid")
    assert not Domain.objects.filter(domain="zuid.noaber.test").exists()
    assert callbacks == [] and mail.outbox == []


def test_a_python_error_halfway_also_rolls_everything_back(coops, db, mocker):
    before = registry_snapshot()
    mocker.patch.object(services, "_apply_rules_template", side_effect=RuntimeError("kapot"))
    with pytest.raises(RuntimeError, match="kapot"):
        services.cooperative_sign_up(**SIGN_UP)
    assert registry_snapshot() == before
    assert connection.schema_name == "public"


def test_race_for_the_same_subdomain_reports_it_as_taken(coops, db, mocker):
    """When another sign-up commits the same subdomain between our check and our insert, the
    unique constraint decides and the loser gets the ordinary 'taken' message."""
    real_validate = services._validate_sign_up

    def validate_then_lose_the_race(**kwargs):
        real_validate(**kwargs)
        Cooperative.objects.create(name="Rivaal", slug="zuid", schema_name="coop_rivaal")

    mocker.patch.object(services, "_validate_sign_up", validate_then_lose_the_race)
    with pytest.raises(ValidationError) as excinfo:
        services.cooperative_sign_up(**SIGN_UP)
    assert excinfo.value.message_dict == {
        "slug": ["Het subdomein 'zuid' is al in gebruik. Kies een andere naam."]
    }
    assert not schema_exists("coop_zuid")
    assert Cooperative.objects.get(slug="zuid").name == "Rivaal"
