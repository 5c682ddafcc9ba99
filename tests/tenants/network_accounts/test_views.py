"""A network's accounts page: only its managers manage, only its own people (another
network's are 404), a network always keeps a manager, an invitation mails the link to choose a
password (then the phone), and every act is kept and logged."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core import mail
from django.test import TestCase
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from shared.accounts import two_factor
from shared.accounts.models import User
from tenants.network_accounts.models import NetworkAccountAct
from tenants.networks.models import NetworkRole
from tests.clients import client_for, network_client
from tests.factories import network_user


def url(network, rest=""):
    return f"/netwerk/{network.slug}/accounts/{rest}"


def acts(network):
    with schema_context("public"):
        return list(
            NetworkAccountAct.objects.filter(network=network)
            .order_by("pk")
            .values_list("action", "subject_email", "actor_id")
        )


def roles(network):
    with schema_context("public"):
        return dict(NetworkRole.objects.filter(network=network).values_list("user__email", "role"))


def test_manager_sees_the_networks_people_only(networks):
    manager = network_user(networks.samen030)
    analyst = network_user(networks.samen030, role="analyst")
    with schema_context("public"):
        TOTPDevice.objects.filter(user=analyst).delete()
        analyst.set_password("Kastanjeboom-77!")
        analyst.save()
    network_user(networks.rijnmond)
    page = network_client(manager).get(url(networks.samen030))
    html = page.content.decode()
    assert page.status_code == 200
    assert manager.email in html and analyst.email in html
    assert "manager@rijnmond.example.nl" not in html
    assert "nee, bij de volgende login" in html  # the analyst has no phone
    # The page is in the network's menu, and the header links to "Mijn account".
    assert 'href="/netwerk/samen030/accounts/"' in html
    assert 'href="/netwerk/mijn-account/"' in html


def test_analyst_cannot_manage_and_nothing_is_written(networks):
    manager = network_user(networks.samen030)
    analyst = network_user(networks.samen030, role="analyst")
    client = network_client(analyst)
    before = roles(networks.samen030)
    assert client.get(url(networks.samen030)).status_code == 403
    invite = {"full_name": "Ida Indringer", "email": "ida@example.nl", "role": "manager"}
    assert client.post(url(networks.samen030), invite).status_code == 403
    role_post = {f"u{analyst.pk}-role": "manager"}
    assert client.post(url(networks.samen030, f"{analyst.pk}/rol/"), role_post).status_code == 403
    assert client.post(url(networks.samen030, f"{manager.pk}/verwijderen/")).status_code == 403
    reset = url(networks.samen030, f"{manager.pk}/telefoon-opnieuw/")
    assert client.post(reset).status_code == 403
    assert roles(networks.samen030) == before
    with schema_context("public"):
        assert not User.objects.filter(email="ida@example.nl").exists()
        assert TOTPDevice.objects.filter(user=manager).exists()
    assert acts(networks.samen030) == []
    assert mail.outbox == []


def test_another_networks_people_cannot_be_touched(networks):
    manager = network_user(networks.samen030)
    stranger = network_user(networks.rijnmond, role="analyst")
    # Even a manager of the national network above SAMEN030 is another network here.
    national = network_user(networks.wijk500)
    client = network_client(manager)
    for path, data in (
        (f"{stranger.pk}/rol/", {f"u{stranger.pk}-role": "manager"}),
        (f"{stranger.pk}/verwijderen/", {}),
        (f"{stranger.pk}/telefoon-opnieuw/", {}),
        (f"{national.pk}/verwijderen/", {}),
    ):
        assert client.post(url(networks.samen030, path), data).status_code == 404
        assert client.get(url(networks.samen030, path)).status_code in (404, 405)
    # And no page of a network one is not bound to.
    assert client.get(url(networks.rijnmond)).status_code == 404
    assert roles(networks.rijnmond) == {stranger.email: "analyst"}
    with schema_context("public"):
        assert TOTPDevice.objects.filter(user=stranger).exists()
    assert acts(networks.samen030) == [] and acts(networks.rijnmond) == []


def test_the_last_manager_stays(networks):
    manager = network_user(networks.samen030)
    client = network_client(manager)
    removed = client.post(url(networks.samen030, f"{manager.pk}/verwijderen/"))
    assert removed.status_code == 400
    assert "enige beheerder" in removed.content.decode()
    demoted = client.post(
        url(networks.samen030, f"{manager.pk}/rol/"), {f"u{manager.pk}-role": "analyst"}
    )
    assert demoted.status_code == 400
    assert "enige beheerder" in demoted.content.decode()
    assert roles(networks.samen030) == {manager.email: "manager"}
    assert acts(networks.samen030) == []
    # With a second manager, the first may step down.
    other = network_user(networks.samen030, email="tweede@samen030.example.nl")
    response = client.post(
        url(networks.samen030, f"{manager.pk}/rol/"), {f"u{manager.pk}-role": "analyst"}
    )
    assert response.status_code == 302
    assert roles(networks.samen030) == {manager.email: "analyst", other.email: "manager"}


def test_invitation_mails_the_link_to_choose_a_password_then_the_phone(networks, caplog):
    manager = network_user(networks.samen030)
    client = network_client(manager)
    caplog.set_level(logging.INFO, logger="tenants.network_accounts.services")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url(networks.samen030),
            {"full_name": "Ans Analist", "email": "Ans@Voorbeeld.nl", "role": "analyst"},
        )
    assert response.status_code == 302
    assert roles(networks.samen030)["ans@voorbeeld.nl"] == "analyst"
    with schema_context("public"):
        ans = User.objects.get(email__iexact="ans@voorbeeld.nl")
        assert not ans.has_usable_password()
    assert [m.to for m in mail.outbox] == [["ans@voorbeeld.nl"]]
    body = mail.outbox[0].body
    assert "SAMEN030" in body and "analist" in body
    assert f"Vragen? Mail {manager.email}" in body
    link = re.search(r"https?://noaber\.test(?::\d+)?(/netwerk/wachtwoord-kiezen/\S+/)", body)
    assert link, body
    assert acts(networks.samen030) == [("invited", "ans@voorbeeld.nl", manager.pk)]
    assert f"network=samen030 actor={manager.pk} action=invited" in caplog.text

    invited = client_for(settings.PLATFORM_DOMAIN)
    form = invited.get(link.group(1), follow=True)
    assert "Wachtwoord kiezen" in form.content.decode()
    chosen = invited.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kastanjeboom-77!", "new_password2": "Kastanjeboom-77!"},
    )
    assert chosen.status_code == 302 and chosen["Location"] == "/netwerk/tweestaps/"
    enrol = invited.get("/netwerk/tweestaps/")
    assert "Telefoon koppelen" in enrol.content.decode()
    # The link works once.
    again = client_for(settings.PLATFORM_DOMAIN).get(link.group(1), follow=True)
    assert "werkt niet (meer)" in again.content.decode()


def test_inviting_someone_twice_or_without_an_address_is_refused(networks):
    manager = network_user(networks.samen030)
    client = network_client(manager)
    again = client.post(
        url(networks.samen030),
        {"full_name": "Ik", "email": manager.email.upper(), "role": "analyst"},
    )
    assert again.status_code == 400
    assert "hoort al bij dit netwerk" in again.content.decode()
    assert roles(networks.samen030) == {manager.email: "manager"}
    assert acts(networks.samen030) == [] and mail.outbox == []


def test_someone_of_another_network_is_added_with_their_own_account(networks):
    manager = network_user(networks.samen030)
    other = network_user(networks.rijnmond)
    with schema_context("public"):
        other.set_password("Kastanjeboom-77!")
        other.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        invite = {"full_name": "Rob Rijnmond", "email": other.email, "role": "analyst"}
        network_client(manager).post(url(networks.samen030), invite)
    assert roles(networks.samen030)[other.email] == "analyst"
    assert roles(networks.rijnmond)[other.email] == "manager"
    with schema_context("public"):
        assert User.objects.filter(email=other.email).count() == 1
        assert TOTPDevice.objects.filter(user=other).exists()
    assert "/netwerk/inloggen/" in mail.outbox[0].body


def test_removing_someone_ends_their_access(networks):
    manager = network_user(networks.samen030)
    analyst = network_user(networks.samen030, role="analyst")
    theirs = network_client(analyst)
    assert theirs.get("/netwerk/mijn-account/").status_code == 200
    client = network_client(manager)
    question = client.get(url(networks.samen030, f"{analyst.pk}/verwijderen/"))
    assert "uit het netwerk halen?" in question.content.decode()
    response = client.post(url(networks.samen030, f"{analyst.pk}/verwijderen/"))
    assert response.status_code == 302
    assert analyst.email not in roles(networks.samen030)
    with schema_context("public"):
        assert not User.objects.get(pk=analyst.pk).is_active
    assert theirs.get(url(networks.samen030))["Location"].startswith("/netwerk/inloggen/")
    assert acts(networks.samen030) == [("removed", analyst.email, manager.pk)]


def test_removing_someone_who_is_in_another_network_keeps_their_login(networks):
    manager = network_user(networks.samen030)
    both = network_user(networks.rijnmond)
    with schema_context("public"):
        NetworkRole.objects.create(user=both, network=networks.samen030, role="analyst")
    network_client(manager).post(url(networks.samen030, f"{both.pk}/verwijderen/"))
    with schema_context("public"):
        assert User.objects.get(pk=both.pk).is_active
    assert roles(networks.rijnmond) == {both.email: "manager"}


def test_reset_two_factor_makes_them_set_up_a_phone_again(networks):
    manager = network_user(networks.samen030)
    analyst = network_user(networks.samen030, role="analyst")
    with schema_context("public"):
        two_factor.recovery_codes_renew(user=analyst)
    theirs = network_client(analyst)
    assert theirs.get("/netwerk/mijn-account/").status_code == 200
    response = network_client(manager).post(
        url(networks.samen030, f"{analyst.pk}/telefoon-opnieuw/")
    )
    assert response.status_code == 302
    with schema_context("public"):
        assert not TOTPDevice.objects.filter(user=analyst).exists()
        assert not StaticDevice.objects.filter(user=analyst).exists()
    # Their session is no longer past the second factor; the next step is a new phone.
    assert theirs.get("/netwerk/mijn-account/")["Location"].startswith("/netwerk/tweestaps/")
    assert "Telefoon koppelen" in theirs.get("/netwerk/tweestaps/").content.decode()
    assert acts(networks.samen030) == [("two_factor_reset", analyst.email, manager.pk)]
