"""The cached domain lookup: no public query once cached, dropped when a domain or a
cooperative's status changes; and every other cache entry kept apart per cooperative."""

from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tenants import host_cache
from tenants.models import Cooperative, Domain
from tests.clients import client_for, logged_in_client


def test_domain_lookup_is_cached_and_costs_no_public_query(alfa):
    client = logged_in_client(alfa)
    client.get("/")  # fills the cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "tenants_domain" not in sql
    assert "tenants_cooperative" not in sql


def test_domain_cache_is_dropped_when_a_domain_changes(alfa):
    client = client_for("nieuw-adres.noaber.test")
    assert client.get("/").status_code == 404  # remembered as unknown
    assert host_cache.get("nieuw-adres.noaber.test") == host_cache.MISSING
    Domain.objects.create(
        domain="nieuw-adres.noaber.test", tenant=alfa.cooperative, is_primary=False
    )
    assert host_cache.get("nieuw-adres.noaber.test") is None
    assert client.get("/").status_code == 302  # now the login page of alfa


def test_status_change_drops_the_cache_entry(alfa):
    client_for(alfa.host).get("/")
    assert isinstance(host_cache.get(alfa.host), Cooperative)
    coop = Cooperative.objects.get(pk=alfa.cooperative.pk)
    with schema_context(alfa.schema):  # forgetting works from inside a tenant schema too
        coop.status = Cooperative.Status.SUSPENDED
        coop.save()
    assert host_cache.get(alfa.host) is None


def test_cache_entries_are_kept_apart_per_cooperative(alfa, beta):
    with schema_context(alfa.schema):
        cache.set("ledental", "A")
    with schema_context(beta.schema):
        assert cache.get("ledental") is None
        cache.set("ledental", "B")
    with schema_context(alfa.schema):
        assert cache.get("ledental") == "A"
    with schema_context("public"):
        assert cache.get("ledental") is None
    # The host cache is the one deliberately shared alias, and holds no member data.
    assert caches["tenancy"].get("ledental") is None
