"""Reads of applications and invitations. Only coordinators and the board see them (the views
declare that action); the one read for anyone is the invitation behind a link's token."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.db.models import Case, QuerySet, When
from django.utils.translation import gettext as _

from cooperatives.joining.models import Application, Invitation, token_hash
from cooperatives.members.models import Member


def application_list(*, status: str = "") -> QuerySet[Application]:
    """Applications waiting for a decision first (oldest on top), then the decided ones."""
    qs = Application.objects.all()
    if status:
        qs = qs.filter(status=status)
    waiting = Case(When(status=Application.Status.PENDING, then=0), default=1)
    return qs.annotate(waiting=waiting).order_by("waiting", "created_at")


def application_get(*, pk: int) -> Application | None:
    return Application.objects.filter(pk=pk).first()


def application_decider_name(*, application: Application) -> str | None:
    """The name of the member who decided (a pseudonym once they are erased), if any."""
    if not application.decided_by_id:
        return None
    names = Member.objects.filter(pk=application.decided_by_id).values_list("name", flat=True)
    return names.first()


def invitation_list() -> QuerySet[Invitation]:
    """Invitations, newest first, with who sent them."""
    return Invitation.objects.select_related("invited_by").order_by("-created_at", "-id")


def invitation_state(*, invitation: Invitation) -> str:
    """One of "open", "used" or "expired"."""
    if invitation.used_at is not None:
        return "used"
    return "open" if invitation.is_open else "expired"


def invitation_for_token(*, token: str) -> Invitation | None:
    """The open invitation behind a token, or None (unknown, used or expired)."""
    invitation = Invitation.objects.filter(token_hash=token_hash(token or "")).first()
    return invitation if invitation and invitation.is_open else None


def application_pending_login_hint(*, email: str, password: str) -> str | None:
    """For a login that failed: when the email and password are those of an application that
    is still waiting, say so (an applicant has no login until approved). Without the right
    password nothing is revealed, not even that the address applied."""
    waiting = Application.objects.filter(
        email__iexact=(email or "").strip(), status=Application.Status.PENDING
    ).exclude(password_hash="")
    for application in waiting:
        if check_password(password or "", application.password_hash):
            return _(
                "Uw aanmelding wordt nog bekeken. Zodra een coördinator of bestuurslid die "
                "heeft goedgekeurd, krijgt u een e-mail en kunt u inloggen met dit e-mailadres "
                "en wachtwoord."
            )
    return None
