"""Every email to a member or applicant goes through here, so each one:

- is written in the recipient's language (``language`` on the recipient, else Dutch): the text is
  composed inside ``translation.override``, so ``gettext`` and templates follow it;
- links straight to the page where its action is done (an absolute URL on the cooperative's own
  subdomain; ``cooperative_link``);
- names the cooperative and says where to reply: the cooperative's contact address (set by the
  board) as Reply-To and in the closing lines, never "reply to this email" from a no-reply
  address;
- is sent after the surrounding transaction commits (nothing is mailed about a write that was
  rolled back).

    mail_send(
        to=[service.requester],
        compose=lambda: Mail(
            subject=_("Bevestig de geholpen uren"),
            body=_("%(name)s heeft %(hours)s uur geregistreerd ...") % {...},
            link=cooperative_link(reverse("service-detail", args=[service.pk])),
            link_label=_("Bevestig de uren"),
        ),
    )

``compose`` is called once per recipient language. A recipient without an email address gets
nothing here; the feature that mails decides how a coordinator hears of it (the daily phone list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from shared.tenancy.current import current_cooperative
from shared.tenancy.urls import cooperative_url


class Recipient(Protocol):
    @property
    def email(self) -> str: ...


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
    # The page where what the mail asks is done; None only for a mail that asks nothing.
    link: str | None
    link_label: str = ""


def cooperative_link(path: str) -> str:
    """``path`` on the current cooperative's own subdomain, as an absolute URL for an email."""
    cooperative = current_cooperative()
    if cooperative is None:
        raise RuntimeError("cooperative_link needs a cooperative's schema")
    return cooperative_url(slug=cooperative.slug, path=path)


def language_now() -> str:
    """The language the site is shown in now, as one the platform speaks: what to keep as the
    language of someone who signs up or applies, for the emails they get later."""
    language = (translation.get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def recipient_language(recipient: object) -> str:
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _closing(cooperative: Any) -> str:
    name = getattr(cooperative, "name", "") or "Noaber"
    contact = getattr(cooperative, "contact_email", "")
    if contact:
        reply = _("Vragen? Beantwoord deze e-mail of schrijf naar %(contact)s.") % {
            "contact": contact
        }
    else:
        reply = _("Vragen? Neem contact op met de coördinator van uw buurt.")
    return f"{_('Met vriendelijke groet,')}\n{name}\n\n{reply}\n"


def mail_render(mail: Mail, *, cooperative: Any) -> str:
    """The body as sent: the message, the link with what to do there, and the closing lines
    that name the cooperative and where to reply."""
    parts = [mail.body.strip()]
    if mail.link:
        label = mail.link_label or _("Ga naar de pagina")
        parts.append(f"{label}:\n    {mail.link}")
    parts.append(_closing(cooperative))
    return "\n\n".join(parts)


def _send(recipients: Sequence[Recipient], compose: Callable[[], Mail], cooperative: Any) -> None:
    contact = getattr(cooperative, "contact_email", "")
    by_language: dict[str, list[str]] = {}
    for recipient in recipients:
        if recipient.email:
            by_language.setdefault(recipient_language(recipient), []).append(recipient.email)
    for language, addresses in by_language.items():
        with translation.override(language):
            mail = compose()
            body = mail_render(mail, cooperative=cooperative)
        for address in addresses:
            EmailMessage(
                subject=mail.subject,
                body=body,
                to=[address],
                reply_to=[contact] if contact else None,
            ).send()


def mail_send(
    *, to: Iterable[Recipient], compose: Callable[[], Mail], after_commit: bool = True
) -> None:
    """Mail each recipient with an address, in their language, after the commit (or now, for
    a task that already runs after one)."""
    recipients = list(to)
    if not any(r.email for r in recipients):
        return
    cooperative = current_cooperative()
    if after_commit:
        transaction.on_commit(lambda: _send(recipients, compose, cooperative))
    else:
        _send(recipients, compose, cooperative)


__all__ = [
    "Mail",
    "cooperative_link",
    "language_now",
    "mail_render",
    "mail_send",
    "recipient_language",
]
