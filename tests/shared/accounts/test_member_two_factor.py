"""The second factor on a cooperative's subdomain (issue 14): required of the board (each of
the four positions), the kascommissie and the administrator, who cannot open a page or call
the API before a phone is set up; offered to every other member on "Mijn gegevens"; a lost
phone comes back with a recovery code or through two other board members; sensitive actions
ask for the password (and code) again after a few minutes."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from shared.accounts import two_factor
from shared.accounts.models import User
from shared.accounts.reauth import AUTH_AT_SESSION_KEY
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client
from tests.factories import PASSWORD, MemberFactory, with_password

ROLES_THAT_NEED_IT = [
    "board_chair",
    "board_secretary",
    "board_treasurer",
    "board_general",
    "audit_committee",
    "administrator",
]


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol_through_the_page(client, schema: str, user: User, next_url: str) -> list[str]:
    """Set up a phone as a person would: open the page, read the key, type the app's code;
    returns the recovery codes shown once."""
    page = client.get(f"/tweestaps/?next={next_url}").content.decode()
    assert "Telefoon koppelen" in page and "<svg" in page
    with schema_context(schema):
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        key = " ".join(two_factor.key_groups(device))
        code = code_of(device)
    assert key in page  # the key to type by hand when scanning does not work
    response = client.post("/tweestaps/", {"code": code, "next": next_url})
    assert response["Location"] == "/tweestaps/herstelcodes/"
    codes_page = client.get("/tweestaps/herstelcodes/").content.decode()
    assert f'href="{next_url}"' in codes_page
    return re.findall(r"<code>([a-z0-9]{4}-[a-z0-9]{4})</code>", codes_page)


@pytest.mark.parametrize("role", ROLES_THAT_NEED_IT)
def test_a_role_that_needs_the_second_factor_cannot_act_before_it_is_set_up(alfa, beta, role):
    person = MemberFactory(schema=alfa.schema, name="Rolf Rol", roles=[role])
    client = logged_in_client(alfa, member=person, verified=False)

    # Pages: on to the guided set-up, whatever the page (the audit log: every such role).
    for path in ("/", "/logboek/", "/mijn-gegevens/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"/tweestaps/?next={path}", path
    # A write through a page is refused before anything is read of it.
    response = client.post("/mijn-gegevens/bewerken/", {"name": "Iemand Anders"})
    assert response["Location"].startswith("/tweestaps/")
    # The API: a structured 403 with a code the client can act on.
    api = client.get("/api/v1/audit/")
    assert api.status_code == 403
    [error] = api.json()["errors"]
    assert error["code"] == "two_factor_required" and "telefoon" in error["detail"]
    with schema_context(alfa.schema):
        assert Member.objects.get(pk=person.pk).name == "Rolf Rol"
        assert not TOTPDevice.objects.filter(user=person.user, confirmed=True).exists()

    codes = enrol_through_the_page(client, alfa.schema, person.user, "/logboek/")
    assert len(codes) == 10

    assert client.get("/logboek/").status_code == 200
    assert client.get("/api/v1/audit/").status_code == 200
    assert client.get("/").status_code == 200
    with schema_context(alfa.schema):
        assert two_factor.has_two_factor(person.user)
        assert two_factor.recovery_codes_left(person.user) == 10
    # Beta's person in the same role is still stopped: the phone is alfa's.
    other = MemberFactory(schema=beta.schema, roles=[role])
    assert (
        logged_in_client(beta, member=other, verified=False)
        .get("/")["Location"]
        .startswith("/tweestaps/")
    )


@pytest.mark.parametrize("role", [None, "volunteer", "coordinator", "neighbourhood_assistant"])
def test_other_members_are_not_stopped_without_a_phone(alfa, role):
    person = MemberFactory(schema=alfa.schema, roles=[role] if role else [])
    client = logged_in_client(alfa, member=person, verified=False)
    assert client.get("/").status_code == 200
    assert client.get("/mijn-gegevens/").status_code == 200
    assert client.get("/api/v1/rulebooks/current/").status_code == 200


def test_a_role_given_during_a_session_asks_for_the_second_factor_from_then_on(alfa):
    person = MemberFactory(schema=alfa.schema)
    client = logged_in_client(alfa, member=person, verified=False)
    assert client.get("/").status_code == 200
    board = logged_in_client(alfa)
    roles = board.post(f"/leden/{person.pk}/rollen/", {"roles": ["administrator"]})
    assert roles.status_code == 302
    assert client.get("/")["Location"].startswith("/tweestaps/")


def test_login_is_password_then_code_or_a_recovery_code(alfa, beta):
    person = with_password(
        alfa.schema,
        MemberFactory(schema=alfa.schema, email="bea@alfa.example.nl", roles=["board_general"]),
    )
    with schema_context(alfa.schema):
        device = TOTPDevice.objects.create(user=person.user, name="telefoon", confirmed=True)
        two_factor.demo_recovery_codes(user=person.user, codes=["abcd-efgh", "ijkl-mnop"])
    client = client_for(alfa.host)
    login = client.post("/inloggen/", {"username": person.email, "password": PASSWORD})
    assert login["Location"] == "/tweestaps/?next=%2F"
    page = client.get(login["Location"]).content.decode()
    assert "Code van uw telefoon" in page and "twee bestuursleden" in page
    assert client.get("/")["Location"].startswith("/tweestaps/")
    with schema_context(alfa.schema):
        code = code_of(device)
    assert client.post("/tweestaps/", {"code": code, "next": "/"})["Location"] == "/"
    assert client.get("/").status_code == 200

    # The phone is lost: a recovery code, once.
    lost = client_for(alfa.host)
    lost.post("/inloggen/", {"username": person.email, "password": PASSWORD})
    assert lost.post("/tweestaps/", {"code": "ABCD EFGH", "next": "/"})["Location"] == "/"
    with schema_context(alfa.schema):
        assert list(
            StaticToken.objects.filter(device__user=person.user).values_list("token", flat=True)
        ) == ["ijklmnop"]
    again = client_for(alfa.host)
    again.post("/inloggen/", {"username": person.email, "password": PASSWORD})
    assert again.post("/tweestaps/", {"code": "abcd-efgh", "next": "/"}).status_code == 200
    assert again.get("/")["Location"].startswith("/tweestaps/")
    # A wrong code from the phone opens nothing either.
    wrong = again.post("/tweestaps/", {"code": "000000", "next": "/"})
    assert wrong.status_code == 200 and "klopt niet" in wrong.content.decode()
    assert again.get("/")["Location"].startswith("/tweestaps/")


def test_every_member_is_offered_the_second_factor_on_my_data(alfa):
    person = with_password(
        alfa.schema,
        MemberFactory(schema=alfa.schema, email="vera@alfa.example.nl", roles=["volunteer"]),
    )
    client = logged_in_client(alfa, member=person, verified=False)
    my_data = client.get("/mijn-gegevens/").content.decode()
    assert 'href="/mijn-gegevens/tweestaps/"' in my_data
    page = client.get("/mijn-gegevens/tweestaps/").content.decode()
    assert "Tweestapsverificatie staat uit" in page
    assert 'href="/mijn-gegevens/tweestaps/telefoon/"' in page
    setup = client.get("/mijn-gegevens/tweestaps/telefoon/").content.decode()
    assert "Telefoon koppelen" in setup
    with schema_context(alfa.schema):
        device = TOTPDevice.objects.get(user=person.user, confirmed=False)
        code = code_of(device)
    response = client.post("/mijn-gegevens/tweestaps/telefoon/", {"code": code})
    assert response["Location"] == "/tweestaps/herstelcodes/"
    assert client.get("/tweestaps/herstelcodes/").content.decode().count("<code>") == 10
    assert (
        "Tweestapsverificatie staat aan" in client.get("/mijn-gegevens/tweestaps/").content.decode()
    )
    # From now on the login asks for the code too.
    login = client_for(alfa.host).post(
        "/inloggen/", {"username": person.email, "password": PASSWORD}
    )
    assert login["Location"] == "/tweestaps/?next=%2F"
    # Switched off again (the member's own choice): the phone and codes go.
    assert (
        client.post("/mijn-gegevens/tweestaps/uitzetten/")["Location"]
        == "/mijn-gegevens/tweestaps/"
    )
    with schema_context(alfa.schema):
        assert not two_factor.has_two_factor(person.user)
        assert two_factor.recovery_codes_left(person.user) == 0


def test_a_board_member_cannot_switch_the_second_factor_off(alfa):
    client = logged_in_client(alfa)
    page = client.get("/mijn-gegevens/tweestaps/").content.decode()
    assert "Tweestapsverificatie staat aan" in page
    assert 'action="/mijn-gegevens/tweestaps/uitzetten/"' not in page
    response = client.post("/mijn-gegevens/tweestaps/uitzetten/")
    assert response["Location"] == "/mijn-gegevens/tweestaps/"
    with schema_context(alfa.schema):
        assert two_factor.has_two_factor(User.objects.get(email=alfa.board_email))


def _member_page_form(client, member: Member) -> str:
    return client.get(f"/leden/{member.pk}/").content.decode()


def test_a_lost_phone_is_removed_by_two_other_board_members(alfa, beta):
    lost = with_password(
        alfa.schema,
        MemberFactory(schema=alfa.schema, email="pien@alfa.example.nl", roles=["board_treasurer"]),
    )
    first = MemberFactory(schema=alfa.schema, name="Eerste Bestuurder", roles=["board_chair"])
    second = MemberFactory(schema=alfa.schema, roles=["board_secretary"])
    coordinator = MemberFactory(schema=alfa.schema, roles=["coordinator"])
    with schema_context(alfa.schema):
        TOTPDevice.objects.create(user=lost.user, name="telefoon", confirmed=True)
    action = f'action="/leden/{lost.pk}/telefoon-loskoppelen/"'
    by_first = logged_in_client(alfa, member=first)
    by_second = logged_in_client(alfa, member=second)
    # Reachable from the board's page of the member; not for a coordinator.
    page = _member_page_form(by_first, lost)
    assert action in page and "Loskoppelen aanvragen" in page
    assert action not in _member_page_form(logged_in_client(alfa, member=coordinator), lost)
    refused = logged_in_client(alfa, member=coordinator).post(
        f"/leden/{lost.pk}/telefoon-loskoppelen/", {"step": "ask"}
    )
    assert refused.status_code == 403
    # Nobody removes their own phone this way.
    own = logged_in_client(alfa, member=lost).post(
        f"/leden/{lost.pk}/telefoon-loskoppelen/", {"step": "ask"}
    )
    assert own.status_code == 302

    # The first asks; alone they cannot confirm.
    by_first.post(f"/leden/{lost.pk}/telefoon-loskoppelen/", {"step": "ask"})
    alone = by_first.post(
        f"/leden/{lost.pk}/telefoon-loskoppelen/", {"step": "confirm"}, follow=True
    )
    assert "Een ander bestuurslid moet het bevestigen" in alone.content.decode()
    with schema_context(alfa.schema):
        assert two_factor.has_two_factor(User.objects.get(pk=lost.user_id))
    # The second sees who asked and confirms.
    page = _member_page_form(by_second, lost)
    assert "Eerste Bestuurder vroeg op" in page and "Bevestigen: telefoon loskoppelen" in page
    by_second.post(f"/leden/{lost.pk}/telefoon-loskoppelen/", {"step": "confirm"})
    with schema_context(alfa.schema):
        user = User.objects.get(pk=lost.user_id)
        assert not two_factor.has_two_factor(user)
        assert list(
            AuditEntry.objects.filter(target_id=str(lost.pk))
            .filter(action__startswith="member.two_factor")
            .order_by("pk")
            .values_list("action", "actor_id")
        ) == [
            ("member.two_factor_reset_request", first.pk),
            ("member.two_factor_reset", second.pk),
        ]
    with schema_context(beta.schema):
        assert not AuditEntry.objects.filter(action__startswith="member.two_factor").exists()
    # At the next login: set up a new phone.
    login = client_for(alfa.host).post("/inloggen/", {"username": lost.email, "password": PASSWORD})
    assert login["Location"] == "/tweestaps/?next=%2F"


def _age_the_login(client, coop) -> None:
    with schema_context(coop.schema):  # sessions live in the cooperative's schema
        session = client.session
        session[AUTH_AT_SESSION_KEY] = int(time.time()) - settings.REAUTH_SECONDS - 5
        session.save()


def test_sensitive_actions_ask_for_the_password_and_code_again_after_a_while(alfa):
    target = MemberFactory(schema=alfa.schema, name="Piet Wisser")
    with schema_context(alfa.schema):
        board_member = Member.objects.get(email=alfa.board_email)
    client = logged_in_client(alfa)
    assert client.get(f"/leden/{target.pk}/wissen/").status_code == 200  # just logged in
    _age_the_login(client, alfa)
    for path in (f"/leden/{target.pk}/wissen/", "/mijn-gegevens/e-mailadres/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/bevestigen/?next=")
    api = client.post(f"/api/v1/members/{target.pk}/erase/")
    assert api.status_code == 403
    assert api.json()["errors"][0]["code"] == "reauth_required"
    erase = client.post(f"/leden/{target.pk}/wissen/")
    assert erase["Location"].startswith("/bevestigen/")
    with schema_context(alfa.schema):
        assert Member.objects.get(pk=target.pk).status == Member.Status.ACTIVE

    back = f"/leden/{target.pk}/wissen/"
    page = client.get(f"/bevestigen/?next={back}").content.decode()
    assert 'name="password"' in page and 'name="code"' in page
    wrong = client.post("/bevestigen/", {"password": "fout", "code": "123456", "next": back})
    assert wrong.status_code == 200 and "klopt niet" in wrong.content.decode()
    assert client.get(back)["Location"].startswith("/bevestigen/")
    with schema_context(alfa.schema):
        device = TOTPDevice.objects.get(user_id=board_member.user_id, confirmed=True)
        code = code_of(device)
    done = client.post("/bevestigen/", {"password": PASSWORD, "code": code, "next": back})
    assert done["Location"] == back
    assert client.get(back).status_code == 200
    assert client.post(f"/api/v1/members/{target.pk}/erase/").status_code == 200


def test_reauth_for_a_member_without_a_phone_asks_the_password_only(alfa):
    person = with_password(
        alfa.schema, MemberFactory(schema=alfa.schema, email="lia@alfa.example.nl")
    )
    client = logged_in_client(alfa, member=person, verified=False)
    _age_the_login(client, alfa)
    page = client.get("/bevestigen/?next=/mijn-gegevens/e-mailadres/").content.decode()
    assert 'name="password"' in page and 'name="code"' not in page
    done = client.post(
        "/bevestigen/", {"password": PASSWORD, "next": "/mijn-gegevens/e-mailadres/"}
    )
    assert done["Location"] == "/mijn-gegevens/e-mailadres/"
    assert client.get("/mijn-gegevens/e-mailadres/").status_code == 200


def test_a_session_lasts_the_configured_time(alfa):
    client = logged_in_client(alfa)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 60 * 60 * 24


def test_platform_staff_pass_the_second_factor_on_the_apex(networks):
    with schema_context("public"):
        staff = User.objects.create_user("staf@noaber.test", PASSWORD, full_name="Staf Lid")
        staff.is_staff = True
        staff.save()
    client = client_for(settings.PLATFORM_DOMAIN)
    login = client.post("/netwerk/inloggen/", {"username": staff.email, "password": PASSWORD})
    assert login["Location"].startswith("/netwerk/tweestaps/")
    assert client.get("/netwerk/mijn-account/")["Location"].startswith("/netwerk/tweestaps/")
