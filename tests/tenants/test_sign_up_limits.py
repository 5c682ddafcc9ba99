"""Sign-ups from the internet are limited per client address, where the address is the one
our own proxies saw (a made-up X-Forwarded-For is no new identity), and for the platform as a
whole; a refusal makes no cooperative."""

from django.test import RequestFactory

from shared.client_address import client_address
from tenants.models import Cooperative

FORM = {
    "name": "Wijkcoöperatie Alfa Twee",
    "slug": "alfa",  # taken: the service refuses it, but the attempt counts
    "place": "Utrecht",
    "board_member_name": "Anna Aanmelder",
    "email": "anna@aanmelder.example.nl",
    "password": "Zonnebloem-42!",
    "template": "oost",
}


def test_the_client_address_trusts_only_our_own_proxies(settings):
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7", REMOTE_ADDR="10.0.0.1"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "10.0.0.7"  # what our one proxy saw; 6.6.6.6 is made up
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"


def test_a_made_up_forwarded_for_does_not_escape_the_page_throttle(apex_client, alfa, settings):
    settings.SIGNUP_PAGE_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 0
    count = Cooperative.objects.count()
    for n in range(2):
        response = apex_client.post("/aanmelden/", FORM, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
        assert "Vanaf dit adres" not in response.content.decode()
    response = apex_client.post("/aanmelden/", FORM, HTTP_X_FORWARDED_FOR="9.9.9.9")
    assert response.status_code == 400
    assert "Vanaf dit adres zijn het afgelopen uur al veel aanmeldingen gedaan" in (
        response.content.decode()
    )
    assert Cooperative.objects.count() == count


def test_the_platform_ceiling_refuses_the_api_with_a_structured_error(apex_client, alfa, settings):
    count = Cooperative.objects.count()
    settings.SIGNUP_CEILING_PER_HOUR = count  # alfa and beta were made this hour
    response = apex_client.post(
        "/api/v1/cooperatives/", {**FORM, "slug": "gamma"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "busy"
    assert Cooperative.objects.count() == count
    assert not Cooperative.objects.filter(slug="gamma").exists()
