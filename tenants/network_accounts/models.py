"""What a network's managers did to its accounts, in the public schema.

There is no audit table in the public schema (``shared.audit`` lives in each cooperative's),
so acts on network accounts are kept here: append-only (the services only ever create rows,
and ``save`` refuses to change one), shown on the accounts page, and also logged."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Network
from tenants.networks.models import NetworkRole


class NetworkAccountAct(models.Model):
    class Action(models.TextChoices):
        INVITED = "invited", _("uitgenodigd")
        REINVITED = "reinvited", _("opnieuw uitgenodigd")
        ROLE_CHANGED = "role_changed", _("rol gewijzigd")
        REMOVED = "removed", _("uit het netwerk gehaald")
        TWO_FACTOR_RESET = "two_factor_reset", _("telefoon opnieuw laten koppelen")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="account_acts", verbose_name=_("netwerk")
    )
    # Names and addresses are kept as they were: the act stays readable after the account goes.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    actor_name = models.CharField(_("door"), max_length=150)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("account"),
    )
    subject_email = models.EmailField(_("account"))
    action = models.CharField(_("handeling"), max_length=20, choices=Action)
    role = models.CharField(_("rol"), max_length=10, blank=True)
    at = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        verbose_name = _("handeling op een netwerkaccount")
        verbose_name_plural = _("handelingen op netwerkaccounts")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.network_id}: {self.action} {self.subject_email}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("NetworkAccountAct is append-only")
        super().save(*args, **kwargs)

    @property
    def role_label(self) -> str:
        return str(dict(NetworkRole.Role.choices).get(self.role, self.role))
