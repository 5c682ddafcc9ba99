"""Background work for proposals: telling the proposer of a step by email. Queued after commit
from inside the cooperative's schema (tenant-schemas-celery runs it there); safe to run twice.
Defined with the service that queues it (cooperatives.proposals.services) and named here,
where Celery looks for this app's tasks."""

from __future__ import annotations

from cooperatives.proposals.services import proposal_event_mail

__all__ = ["proposal_event_mail"]
