"""Background work for klussen: the mails about an allowance warning, a klus that lapsed and a
klus paid twice. Queued after commit from inside the cooperative's schema (tenant-schemas-celery
runs them there); safe to run twice. They are defined with the services that queue them
(billing.klussen.services) and named here, where Celery looks for this app's tasks."""

from __future__ import annotations

from billing.klussen.services import (
    allowance_warning_mail,
    klus_double_payment_mail,
    klus_waived_mail,
)

__all__ = ["allowance_warning_mail", "klus_double_payment_mail", "klus_waived_mail"]
