"""Network roles and memberships, in the public schema.

A membership is asked for by either side (the cooperative's board from its subdomain, or the
network by invitation) and starts when the other side accepts. It records what the cooperative
agrees to share with the network: which groups of figures (``cooperatives.figures.catalog``),
whether it is on the network's map, and whether the networks above (a national network over a
city network) may see the same. The cooperative can change or withdraw that at any time; the
figures follow from the next nightly run."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Cooperative, Network


class NetworkRole(models.Model):
    """A public-schema user bound to a network. A manager (beheerder) runs the network:
    memberships, sponsorship, documents, accounts, parameters; an analyst reads its figures
    and documents."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("beheerder")
        ANALYST = "analyst", _("analist")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="network_roles",
        verbose_name=_("gebruiker"),
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="roles", verbose_name=_("netwerk")
    )
    role = models.CharField(_("rol"), max_length=10, choices=Role)
    created_at = models.DateTimeField(_("sinds"), default=timezone.now)

    class Meta:
        verbose_name = _("netwerkrol")
        verbose_name_plural = _("netwerkrollen")
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="networks_one_role_each")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.network_id}: {self.role}"


class Membership(models.Model):
    """A cooperative in a network, from a request or an invitation to its end."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("aangevraagd door de coöperatie")
        INVITED = "invited", _("uitgenodigd door het netwerk")
        ACTIVE = "active", _("lid")
        DECLINED = "declined", _("afgewezen")
        ENDED = "ended", _("beëindigd")

    class Side(models.TextChoices):
        COOPERATIVE = "cooperative", _("de coöperatie")
        NETWORK = "network", _("het netwerk")

    OPEN = (Status.REQUESTED, Status.INVITED, Status.ACTIVE)

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("netwerk")
    )
    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.PROTECT,
        related_name="network_memberships",
        verbose_name=_("wijkcoöperatie"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status)
    initiated_by = models.CharField(_("gevraagd door"), max_length=12, choices=Side)
    # What the cooperative shares with this network (keys of cooperatives.figures.catalog).
    share_groups = ArrayField(
        models.CharField(max_length=20), verbose_name=_("gedeelde cijfers"), default=list
    )
    on_map = models.BooleanField(_("op de kaart"), default=False)
    share_with_parent = models.BooleanField(_("ook delen met het netwerk erboven"), default=False)
    # A short message from the side that asks ("Wij zijn een stadsdorp in Oost …"); written by
    # a board or network manager about the cooperative, never about a member.
    message = models.TextField(_("toelichting"), blank=True, max_length=1000)
    requested_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    started_at = models.DateTimeField(_("lid sinds"), null=True, blank=True)
    ended_at = models.DateTimeField(_("geëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("lidmaatschap van een netwerk")
        verbose_name_plural = _("lidmaatschappen van netwerken")
        ordering = ["-requested_at"]
        constraints = [
            # One request, invitation or membership at a time per network and cooperative.
            models.UniqueConstraint(
                fields=["network", "cooperative"],
                condition=models.Q(status__in=["requested", "invited", "active"]),
                name="networks_one_open_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id} in {self.network_id}: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
