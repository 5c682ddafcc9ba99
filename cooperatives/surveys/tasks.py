"""Background work for surveys: the invitation mail, queued after commit from inside the
cooperative's schema when a survey opens; safe to run twice. Defined with the service that
queues it (cooperatives.surveys.services) and named here, where Celery looks for tasks."""

from __future__ import annotations

from cooperatives.surveys.services import survey_invite_mail

__all__ = ["survey_invite_mail"]
