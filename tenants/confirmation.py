"""The link that confirms a new cooperative's founder's email address (in the welcome mail and
the reminder): a signed token naming the cooperative, valid until the cooperative would be
archived for want of it (tenants.lifecycle)."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.urls import reverse

from tenants.models import Cooperative

# A new cooperative whose founder never confirms is archived after this long (nobody
# reachable stands behind it: a typo, or a script), with a mail on WARN_AFTER.
CONFIRM_WITHIN = dt.timedelta(days=7)
WARN_AFTER = dt.timedelta(days=5)
SALT = "tenants.founder-confirm"


def founder_confirmation_path(*, cooperative: Cooperative) -> str:
    """The path (on the cooperative's own host) that confirms its founder's email address."""
    token = signing.dumps(cooperative.pk, salt=SALT)
    return reverse("founder-confirm", kwargs={"token": token})
