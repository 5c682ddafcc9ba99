"""The sign-up service: the template fills the new schema, and a failure halfway (in the
database, in Python, or a race for the same subdomain) leaves nothing behind."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from cooperatives.rules.models import Rulebook
from cooperatives.setup.models import Cluster
from shared.accounts.models import User
from tenants import provisioning, services
from tenants.models import Cooperative, Domain
from tests.factories import SIGN_UP
from tests.state import registry_snapshot


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


# --- a failure halfway leaves nothing behind ---------------------------------------------------


@pytest.fixture
def template_read_afresh():
    """The test changes the template by hand (no migration): the clone script each process
    keeps for it (tenants.provisioning) is read again now, and again after the rollback."""
    provisioning._template_script.cache_clear()
    yield
    provisioning._template_script.cache_clear()


def test_database_refusing_halfway_leaves_no_schema_domain_or_cooperative(
    apex_client, coops, db, django_capture_on_commit_callbacks, template_read_afresh
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
