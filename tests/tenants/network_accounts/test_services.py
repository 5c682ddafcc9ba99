"""The services behind the accounts page: refusals carry their code and write nothing; the
log of acts is append-only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.network_accounts import services
from tenants.network_accounts.models import NetworkAccountAct
from tenants.networks.models import NetworkRole
from tests.factories import network_user


def codes(error: ValidationError) -> list[str | None]:
    return [e.code for errors in error.error_dict.values() for e in errors]


def test_last_manager_is_refused_with_its_code(networks):
    manager = network_user(networks.samen030)
    analyst = network_user(networks.samen030, role="analyst")
    with schema_context("public"):
        bound = NetworkRole.objects.get(user=manager, network=networks.samen030)
        for act in (
            lambda: services.network_account_remove(
                actor=analyst, network=networks.samen030, bound=bound
            ),
            lambda: services.network_role_change(
                actor=manager, network=networks.samen030, bound=bound, role="analyst"
            ),
        ):
            with pytest.raises(ValidationError) as refused:
                act()
            assert codes(refused.value) == ["last_manager"]
        assert NetworkRole.objects.get(pk=bound.pk).role == "manager"
        assert not NetworkAccountAct.objects.exists()
        # Managers of another network do not count for this one.
        network_user(networks.rijnmond)
        with pytest.raises(ValidationError):
            services.network_account_remove(actor=manager, network=networks.samen030, bound=bound)


def test_invitation_refusals_write_nothing(networks):
    manager = network_user(networks.samen030)
    with schema_context("public"):
        before = User.objects.count()
        for kwargs, code in (
            ({"email": "x@example.nl", "full_name": "X", "role": "owner"}, "invalid_role"),
            ({"email": "geen-adres", "full_name": "X", "role": "analyst"}, "invalid_email"),
            ({"email": "x@example.nl", "full_name": "  ", "role": "analyst"}, "required"),
            ({"email": manager.email, "full_name": "X", "role": "analyst"}, "already_in_network"),
        ):
            with pytest.raises(ValidationError) as refused:
                services.network_account_invite(actor=manager, network=networks.samen030, **kwargs)
            assert codes(refused.value) == [code]
        assert User.objects.count() == before
        assert not NetworkAccountAct.objects.exists()
    assert mail.outbox == []


def test_someone_removed_from_every_network_comes_back_as_new(networks):
    manager = network_user(networks.samen030)
    analyst = network_user(networks.samen030, role="analyst")
    with schema_context("public"):
        analyst.set_password("Kastanjeboom-77!")
        analyst.save()
        bound = NetworkRole.objects.get(user=analyst)
        services.network_account_remove(actor=manager, network=networks.samen030, bound=bound)
        services.network_account_invite(
            actor=manager,
            network=networks.samen030,
            email=analyst.email,
            full_name="Ans Terug",
            role="analyst",
        )
        back = User.objects.get(pk=analyst.pk)
        assert back.is_active and not back.has_usable_password()
        assert not TOTPDevice.objects.filter(user=back).exists()
        assert list(NetworkAccountAct.objects.order_by("pk").values_list("action", flat=True)) == [
            "removed",
            "invited",
        ]


def test_the_log_is_append_only(networks):
    manager = network_user(networks.samen030)
    analyst = network_user(networks.samen030, role="analyst")
    with schema_context("public"):
        bound = NetworkRole.objects.get(user=analyst)
        services.network_two_factor_reset(actor=manager, network=networks.samen030, bound=bound)
        act = NetworkAccountAct.objects.get()
        assert (act.action, act.actor_name, act.subject_email) == (
            "two_factor_reset",
            manager.full_name,
            analyst.email,
        )
        act.action = "invited"
        with pytest.raises(RuntimeError):
            act.save()
