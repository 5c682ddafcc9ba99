"""The second factor on the apex: a network administrator sets up a phone (QR code drawn on
the server, the key to type, a real code computed here from the device's key), gets ten
recovery codes once, and after that types the phone's code or a recovery code (which works
once). Wrong codes are refused with a Dutch message and confirm nothing; network pages wait
until the second factor is passed; ``next`` never leads off the site."""

from __future__ import annotations

from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from shared.accounts import two_factor
from shared.accounts.models import User
from tenants.networks.models import NetworkRole
from tests.clients import client_for, network_client
from tests.factories import PASSWORD, network_user

TWO_FACTOR = "/netwerk/tweestaps/"


def code_of(device: TOTPDevice) -> str:
    """The code the phone shows now for this device."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(code_of(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def new_administrator(network, role="manager", email=None):
    """A network user with a password and no phone yet (as after an invitation)."""
    with schema_context("public"):
        user = User.objects.create_user(
            email or f"nieuw-{role}@{network.slug}.example.nl",
            PASSWORD,
            full_name="Nieuwe Beheerder",
        )
        NetworkRole.objects.create(user=user, network=network, role=role)
    return user


def logged_in_unverified(user):
    return network_client(user, verified=False)


def test_enrolment_with_a_real_code_confirms_the_phone_and_shows_ten_codes_once(networks):
    user = new_administrator(networks.samen030)
    client = logged_in_unverified(user)
    page = client.get(f"{TWO_FACTOR}?next=/netwerk/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'role="img"' in html and "<script" not in html
    with schema_context("public"):
        device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    # The key in groups of four, as typed into an app.
    groups = two_factor.key_groups(device)
    assert all(len(g) == 4 for g in groups[:-1]) and " ".join(groups) in html
    # Reloading keeps the same key (the person may have scanned it already).
    client.get(TWO_FACTOR)
    with schema_context("public"):
        assert list(TOTPDevice.objects.filter(user=user)) == [device]

    response = client.post(TWO_FACTOR, {"code": code_of(device), "next": "/netwerk/"})
    assert (
        response.status_code == 302 and response["Location"] == "/netwerk/tweestaps/herstelcodes/"
    )
    with schema_context("public"):
        device.refresh_from_db()
        assert device.confirmed
        tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(tokens) == 10
    codes = client.get(response["Location"])
    shown = codes.content.decode()
    assert codes.status_code == 200, codes.get("Location")
    assert all(f"{t[:4]}-{t[4:]}" in shown for t in tokens)
    assert 'href="/netwerk/"' in shown
    # Shown once: the next visit goes straight on.
    again = client.get("/netwerk/tweestaps/herstelcodes/")
    assert again.status_code == 302 and tokens.isdisjoint(again.content.decode().split())
    # The session has passed the second factor.
    assert client.get(TWO_FACTOR)["Location"] == "/netwerk/"


def test_wrong_code_at_enrolment_confirms_nothing(networks):
    user = new_administrator(networks.samen030)
    client = logged_in_unverified(user)
    client.get(TWO_FACTOR)
    with schema_context("public"):
        device = TOTPDevice.objects.get(user=user)
    response = client.post(TWO_FACTOR, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    with schema_context("public"):
        device.refresh_from_db()
        assert not device.confirmed
        assert device.throttling_failure_count == 1
        assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get("/netwerk/")["Location"].startswith(TWO_FACTOR)


def test_throttling_refuses_even_the_right_code_for_a_while(networks):
    user = network_user(networks.samen030)
    device = user.totp_device
    client = logged_in_unverified(user)
    client.post(TWO_FACTOR, {"code": wrong_code(device)})
    response = client.post(TWO_FACTOR, {"code": code_of(device)})
    assert "te vaak een verkeerde code" in response.content.decode()
    assert client.get("/netwerk/")["Location"].startswith(TWO_FACTOR)


def test_login_then_two_factor_then_next(networks):
    user = network_user(networks.samen030)
    with schema_context("public"):
        user.set_password(PASSWORD)
        user.save()
    client = client_for(settings.PLATFORM_DOMAIN)
    login = client.post("/netwerk/inloggen/", {"username": user.email, "password": PASSWORD})
    assert login.status_code == 302
    assert login["Location"] == "/netwerk/tweestaps/?next=%2Fnetwerk%2F"
    accounts = f"/netwerk/{networks.samen030.slug}/accounts/"
    assert client.get(accounts)["Location"].startswith(TWO_FACTOR)
    page = client.get(login["Location"])
    assert "Code van uw telefoon" in page.content.decode()
    response = client.post(TWO_FACTOR, {"code": code_of(user.totp_device), "next": accounts})
    assert response.status_code == 302 and response["Location"] == accounts
    assert client.get(accounts).status_code == 200


def test_login_keeps_next_through_the_second_factor(networks):
    user = network_user(networks.samen030)
    with schema_context("public"):
        user.set_password(PASSWORD)
        user.save()
    client = client_for(settings.PLATFORM_DOMAIN)
    accounts = f"/netwerk/{networks.samen030.slug}/accounts/"
    login = client.post(
        f"/netwerk/inloggen/?next={accounts}",
        {"username": user.email, "password": PASSWORD, "next": accounts},
    )
    assert login["Location"] == f"{TWO_FACTOR}?next=%2Fnetwerk%2Fsamen030%2Faccounts%2F"
    response = client.post(login["Location"], {"code": code_of(user.totp_device)})
    assert response["Location"] == accounts


def test_next_never_leads_off_the_site(networks):
    user = network_user(networks.samen030)
    client = logged_in_unverified(user)
    for evil in ("https://evil.example/", "//evil.example/", "https://alfa.noaber.test/"):
        user.totp_device.refresh_from_db()
        with schema_context("public"):
            TOTPDevice.objects.filter(pk=user.totp_device.pk).update(last_t=-1)
        response = client.post(
            f"{TWO_FACTOR}?next={evil}", {"code": code_of(user.totp_device), "next": evil}
        )
        assert response.status_code == 302 and response["Location"] == "/netwerk/"
        client = logged_in_unverified(user)


def test_network_pages_wait_for_the_second_factor_for_manager_and_analyst(networks):
    for role in ("manager", "analyst"):
        user = network_user(networks.samen030, role=role)
        client = logged_in_unverified(user)
        for path in ("/netwerk/", f"/netwerk/{networks.samen030.slug}/accounts/"):
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"].startswith(f"{TWO_FACTOR}?next=")
        assert client.get("/netwerk/mijn-account/")["Location"].startswith(TWO_FACTOR)


def test_recovery_code_works_once(networks):
    user = network_user(networks.samen030)
    with schema_context("public"):
        codes = two_factor.recovery_codes_renew(user=user)
    client = logged_in_unverified(user)
    response = client.post(TWO_FACTOR, {"code": codes[0].upper(), "next": "/netwerk/"})
    assert response.status_code == 302 and response["Location"] == "/netwerk/"
    assert "nog 9" in client.get("/netwerk/mijn-account/").content.decode()
    again = logged_in_unverified(user).post(TWO_FACTOR, {"code": codes[0]})
    assert again.status_code == 200
    assert "geen geldige herstelcode" in again.content.decode()
    with schema_context("public"):
        assert two_factor.recovery_codes_left(user) == 9


def test_new_phone_from_my_account_replaces_the_old_one(networks):
    user = network_user(networks.samen030)
    old = user.totp_device
    with schema_context("public"):
        two_factor.recovery_codes_renew(user=user)
    client = network_client(user)
    account = client.get("/netwerk/mijn-account/").content.decode()
    assert "/netwerk/mijn-account/nieuwe-telefoon/" in account
    client.get("/netwerk/mijn-account/nieuwe-telefoon/")
    with schema_context("public"):
        new = TOTPDevice.objects.get(user=user, confirmed=False)
    refused = client.post("/netwerk/mijn-account/nieuwe-telefoon/", {"code": wrong_code(new)})
    assert refused.status_code == 200
    with schema_context("public"):
        assert TOTPDevice.objects.get(pk=old.pk).confirmed
        # Past the wait after a wrong code (django-otp's throttling).
        TOTPDevice.objects.filter(pk=new.pk).update(throttling_failure_count=0)
    response = client.post("/netwerk/mijn-account/nieuwe-telefoon/", {"code": code_of(new)})
    # The recovery codes there are stay: straight back to the account page.
    assert response["Location"] == "/netwerk/mijn-account/"
    with schema_context("public"):
        assert list(TOTPDevice.objects.filter(user=user)) == [new]
        assert TOTPDevice.objects.get(pk=new.pk).confirmed
        assert two_factor.recovery_codes_left(user) == 10
    # Still verified, with the new phone.
    assert client.get("/netwerk/mijn-account/").status_code == 200


def test_new_recovery_codes_replace_the_old_list(networks):
    user = network_user(networks.samen030)
    with schema_context("public"):
        old = two_factor.recovery_codes_renew(user=user)
    client = network_client(user)
    response = client.post("/netwerk/mijn-account/herstelcodes/")
    assert response["Location"] == "/netwerk/tweestaps/herstelcodes/"
    shown = client.get(response["Location"]).content.decode()
    with schema_context("public"):
        tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(tokens) == 10 and all(f"{t[:4]}-{t[4:]}" in shown for t in tokens)
    assert not any(code in shown for code in old)
    assert logged_in_unverified(user).post(TWO_FACTOR, {"code": old[1]}).status_code == 200


def test_password_change_on_the_apex(networks):
    user = network_user(networks.samen030)
    with schema_context("public"):
        user.set_password(PASSWORD)
        user.save()
    client = network_client(user)
    response = client.post(
        "/netwerk/mijn-account/wachtwoord/",
        {
            "old_password": PASSWORD,
            "new_password1": "Kastanjeboom-77!",
            "new_password2": "Kastanjeboom-77!",
        },
    )
    assert response["Location"] == "/netwerk/mijn-account/"
    with schema_context("public"):
        user.refresh_from_db()
        assert user.check_password("Kastanjeboom-77!")
    # The session stays, past the second factor.
    assert client.get("/netwerk/mijn-account/").status_code == 200


def test_two_factor_page_exists_on_a_cooperative_too(alfa):
    from tests.clients import logged_in_client

    client = logged_in_client(alfa, verified=False)
    page = client.get("/tweestaps/")
    assert page.status_code == 200
    assert "Telefoon koppelen" in page.content.decode()


def test_demo_network_administrator_manages_its_networks_with_the_printed_key(networks):
    from noaber import demo

    with schema_context("public"):
        user = User.objects.get(email=demo.NETWORK_ADMIN[1])  # made by the coops fixture
        lines = demo._seed_network_admin(user, ("samen030", "500wijk"))
        demo._seed_network_admin(user, ("samen030", "500wijk"))  # twice: nothing doubles
        assert dict(NetworkRole.objects.filter(user=user).values_list("network__slug", "role")) == {
            "samen030": "manager",
            "500wijk": "manager",
        }
        device = two_factor.totp_device_of(user)
    assert "JZXW CYTF OIWW IZLN N4WT EMBS GYWW WZLZ" in lines[0]
    assert demo.NETWORK_ADMIN_RECOVERY_CODES[0] in lines[1]
    client = logged_in_unverified(user)
    assert client.post(TWO_FACTOR, {"code": code_of(device)})["Location"] == "/netwerk/"
    other = logged_in_unverified(user)
    code = demo.NETWORK_ADMIN_RECOVERY_CODES[1]
    assert other.post(TWO_FACTOR, {"code": code})["Location"] == "/netwerk/"


def test_a_member_with_a_phone_types_its_code_after_the_password(alfa, beta):
    with schema_context(alfa.schema):
        board = User.objects.get(email=alfa.board_email)
        device = TOTPDevice.objects.create(user=board, name="telefoon", confirmed=True)
    client = client_for(alfa.host)
    login = client.post("/inloggen/", {"username": alfa.board_email, "password": PASSWORD})
    assert login["Location"] == "/tweestaps/?next=%2F"
    with schema_context(alfa.schema):
        code = code_of(device)
    assert client.post("/tweestaps/", {"code": code, "next": "/"})["Location"] == "/"
    # Beta's board has no phone: set one up first (the board must; issue 14).
    other = client_for(beta.host)
    login = other.post("/inloggen/", {"username": beta.board_email, "password": PASSWORD})
    assert login["Location"] == "/tweestaps/?next=%2F"
    assert "Telefoon koppelen" in other.get(login["Location"]).content.decode()


def test_forgotten_password_on_the_apex_leads_back_through_the_second_factor(networks):
    import re

    from django.core import mail

    user = network_user(networks.samen030)
    client = client_for(settings.PLATFORM_DOMAIN)
    assert (
        'href="/netwerk/wachtwoord-vergeten/"' in client.get("/netwerk/inloggen/").content.decode()
    )
    response = client.post("/netwerk/wachtwoord-vergeten/", {"email": user.email})
    assert response["Location"] == "/netwerk/wachtwoord-vergeten/verstuurd/"
    assert [m.to for m in mail.outbox] == [[user.email]]
    link = re.search(
        r"https?://noaber\.test(?::\d+)?(/netwerk/wachtwoord-kiezen/\S+/)", mail.outbox[0].body
    )
    assert link
    form = client.get(link.group(1), follow=True)
    chosen = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kastanjeboom-77!", "new_password2": "Kastanjeboom-77!"},
    )
    assert chosen["Location"] == "/netwerk/tweestaps/"
    # A new password is no way around the phone.
    assert client.get("/netwerk/mijn-account/")["Location"].startswith(TWO_FACTOR)
    assert "Code van uw telefoon" in client.get(TWO_FACTOR).content.decode()
    # A cooperative's member is not found here (their account is in their own schema).
    client.post("/netwerk/wachtwoord-vergeten/", {"email": "bestuur@alfa.example.nl"})
    assert len(mail.outbox) == 1


def test_passing_the_second_factor_gives_a_new_session_key(networks):
    user = network_user(networks.samen030)
    client = logged_in_unverified(user)
    before = client.session.session_key
    client.post(TWO_FACTOR, {"code": code_of(user.totp_device)})
    assert client.session.session_key != before
    assert client.get("/netwerk/mijn-account/").status_code == 200
