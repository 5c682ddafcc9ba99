"""Background work for klussen: the allowance warning to the coordinators. Queued after commit
from inside the cooperative's schema (tenant-schemas-celery runs it there); safe to run twice."""

from __future__ import annotations

from billing.klussen.allowance import allowance_warning_send
from noaber.celery import app


@app.task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def allowance_warning_mail(*, warning_id: int) -> bool:
    return allowance_warning_send(warning_id=warning_id)


@app.task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def klus_waived_mail(*, payment_id: int) -> bool:
    from billing.klussen.services import klus_waived_notify

    return klus_waived_notify(payment_id=payment_id)


@app.task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def klus_double_payment_mail(*, double_payment_id: int) -> bool:
    from billing.klussen.online import klus_double_payment_notify

    return klus_double_payment_notify(double_payment_id=double_payment_id)
