"""Writes on a network's accounts, by one of its managers (the views check that; these check
the rest): invite a person with a role, invite again, change a role, remove someone, make
someone set up their phone again. A network always keeps a manager (``last_manager``).

Each act is kept (``NetworkAccountAct``, append-only) and logged at INFO with the network's
code and the acting user's id."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shared.accounts import two_factor
from shared.accounts.models import User
from shared.accounts.services import apex_link, network_password_link
from shared.mail import Mail, mail_send
from shared.validation import field_error
from tenants.models import Network
from tenants.network_accounts.models import NetworkAccountAct
from tenants.networks.models import NetworkRole

logger = logging.getLogger(__name__)

MANAGER = NetworkRole.Role.MANAGER
ROLES = set(NetworkRole.Role.values)


def _record(
    *, actor: Any, network: Network, user: Any, action: str, role: str = ""
) -> NetworkAccountAct:
    act = NetworkAccountAct.objects.create(
        network=network,
        actor=actor,
        actor_name=getattr(actor, "full_name", "") or getattr(actor, "email", ""),
        subject=user,
        subject_email=user.email,
        action=action,
        role=role,
    )
    logger.info(
        "network account act: network=%s actor=%s action=%s user=%s role=%s",
        network.slug,
        getattr(actor, "pk", None),
        action,
        user.pk,
        role,
    )
    return act


def _invitation_mail(*, user: User, network: Network, role: str, actor: Any) -> None:
    """The link to choose a password (a new account) or to log in (an account that has one),
    after the commit."""
    new = not user.has_usable_password()
    link = (
        network_password_link(user=user)
        if new
        else apex_link(reverse("login", urlconf=settings.PUBLIC_SCHEMA_URLCONF))
    )
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)

    def compose() -> Mail:
        names = {
            "network": network.name,
            "role": NetworkRole.Role(role).label,
            "by": getattr(actor, "full_name", "") or _("een beheerder"),
            "email": getattr(actor, "email", ""),
            "days": days,
        }
        opening = (
            _("%(by)s heeft u uitgenodigd als %(role)s van het netwerk %(network)s op Noaber.")
            % names
        )
        if new:
            steps = (
                _(
                    "Kies met de link hieronder een wachtwoord. Daarna koppelt u uw telefoon: "
                    "bij elke login vult u naast uw wachtwoord een code uit een app op uw "
                    "telefoon in. De link werkt één keer en %(days)s dagen lang."
                )
                % names
            )
            label = _("Kies uw wachtwoord")
        else:
            steps = (
                _(
                    "U heeft al een account op Noaber: log in zoals altijd, dan ziet u het netwerk "
                    "%(network)s bij uw netwerken staan."
                )
                % names
            )
            label = _("Inloggen")
        return Mail(
            subject=_("Uitnodiging voor het netwerk %(network)s op Noaber") % names,
            body="\n\n".join([opening, steps, _("Vragen? Mail %(email)s.") % names]),
            link=link,
            link_label=label,
        )

    mail_send(to=[user], compose=compose)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise field_error("role", _("Kies beheerder of analist."), "invalid_role")


def network_account_invite(
    *, actor: Any, network: Network, email: str, full_name: str, role: str
) -> NetworkRole:
    """Bind a person to the network with a role. A new person gets an account without a
    password and a mail with the link to choose one; someone who already has an account on
    the apex (another network's) gets a mail to log in."""
    _check_role(role)
    email = User.objects.normalize_email((email or "").strip())
    full_name = " ".join((full_name or "").split())
    if not email or "@" not in email:
        raise field_error("email", _("Vul een geldig e-mailadres in."), "invalid_email")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None and NetworkRole.objects.filter(user=user, network=network).exists():
            raise field_error(
                "email",
                _("%(email)s hoort al bij dit netwerk. Wijzig zo nodig de rol in de lijst.")
                % {"email": user.email},
                "already_in_network",
            )
        if user is None:
            if not full_name:
                raise field_error("full_name", _("Vul de naam in."), "required")
            user = User.objects.create_user(email, None, full_name=full_name)
        elif not user.is_active:
            # Removed from every network before: back in as a new account, with a new password
            # and a new phone, never with the old ones.
            user.is_active = True
            user.set_unusable_password()
            if full_name:
                user.full_name = full_name
            user.save()
            two_factor.two_factor_reset(user=user)
        bound = NetworkRole.objects.create(user=user, network=network, role=role)
        _record(
            actor=actor,
            network=network,
            user=user,
            action=NetworkAccountAct.Action.INVITED,
            role=role,
        )
        _invitation_mail(user=user, network=network, role=role, actor=actor)
    return bound


def network_account_reinvite(*, actor: Any, network: Network, bound: NetworkRole) -> None:
    """Send the link to choose a password again, to someone who has not chosen one yet."""
    user = bound.user
    if user.has_usable_password():
        raise field_error(
            None,
            _("%(email)s heeft al een wachtwoord gekozen en kan gewoon inloggen.")
            % {"email": user.email},
            "has_password",
        )
    with transaction.atomic():
        _record(
            actor=actor,
            network=network,
            user=user,
            action=NetworkAccountAct.Action.REINVITED,
            role=bound.role,
        )
        _invitation_mail(user=user, network=network, role=bound.role, actor=actor)


def _locked_roles(network: Network) -> list[NetworkRole]:
    """The network's roles, locked until the commit, so two managers who each take the other's
    role at the same moment cannot leave the network without one."""
    return list(NetworkRole.objects.select_for_update().filter(network=network).order_by("pk"))


def _last_manager_refusal() -> Exception:
    return field_error(
        None,
        _(
            "Dit is de enige beheerder van het netwerk. Maak eerst iemand anders beheerder; "
            "een netwerk heeft altijd minstens één beheerder."
        ),
        "last_manager",
    )


def network_role_change(*, actor: Any, network: Network, bound: NetworkRole, role: str) -> None:
    _check_role(role)
    with transaction.atomic():
        roles = _locked_roles(network)
        current = next((r for r in roles if r.pk == bound.pk), None)
        if current is None:
            raise field_error(None, _("Dit account hoort niet (meer) bij dit netwerk."), "gone")
        if current.role == role:
            return
        managers = sum(r.role == MANAGER for r in roles)
        if current.role == MANAGER and managers <= 1:
            raise _last_manager_refusal()
        current.role = role
        current.save(update_fields=["role"])
        bound.role = role
        _record(
            actor=actor,
            network=network,
            user=current.user,
            action=NetworkAccountAct.Action.ROLE_CHANGED,
            role=role,
        )


def network_account_remove(*, actor: Any, network: Network, bound: NetworkRole) -> None:
    """Unbind the person from the network. Someone left without any network cannot log in on
    the apex any more (their account is switched off, not deleted: the log keeps its name)."""
    with transaction.atomic():
        roles = _locked_roles(network)
        current = next((r for r in roles if r.pk == bound.pk), None)
        if current is None:
            raise field_error(None, _("Dit account hoort niet (meer) bij dit netwerk."), "gone")
        managers = sum(r.role == MANAGER for r in roles)
        if current.role == MANAGER and managers <= 1:
            raise _last_manager_refusal()
        user = current.user
        current.delete()
        if not user.is_staff and not NetworkRole.objects.filter(user=user).exists():
            user.is_active = False
            user.save(update_fields=["is_active"])
            two_factor.two_factor_reset(user=user)
        _record(
            actor=actor,
            network=network,
            user=user,
            action=NetworkAccountAct.Action.REMOVED,
            role=current.role,
        )


def network_two_factor_reset(*, actor: Any, network: Network, bound: NetworkRole) -> None:
    """Forget the person's phone and recovery codes (a lost phone and no codes left): at their
    next login they set up a phone again."""
    with transaction.atomic():
        two_factor.two_factor_reset(user=bound.user)
        _record(
            actor=actor,
            network=network,
            user=bound.user,
            action=NetworkAccountAct.Action.TWO_FACTOR_RESET,
            role=bound.role,
        )
