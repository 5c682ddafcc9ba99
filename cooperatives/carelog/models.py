"""Who read a member's care data (NEN 7513-style access log), in the cooperative's own schema.

Care data are what a member writes about their need in a care cluster (``Cluster.holds_care``).
Every look at them by someone other than the member adds one row: who, when, whose data, why
(the page or API route). PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the table (see the
migration, which reuses the audit log's trigger function), so the log cannot be rewritten. A
row holds no care text: the board reads the log without reading the care needs themselves.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member


class CareAccess(models.Model):
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    viewer = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("bekeken door")
    )
    subject = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("gegevens van")
    )
    # The route the data were shown on (a URL name such as "request-detail"): the reason.
    route = models.CharField(_("pagina"), max_length=60)
    target_type = models.CharField(_("soort gegeven"), max_length=60)
    target_id = models.BigIntegerField(_("gegeven"))

    class Meta:
        verbose_name = _("inzage in zorggegevens")
        verbose_name_plural = _("inzage in zorggegevens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} lid #{self.viewer_id} -> lid #{self.subject_id}"
