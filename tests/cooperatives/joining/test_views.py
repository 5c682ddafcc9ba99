"""Joining by page: self-registration with consent, the privacy statement, deciding on
applications, and invitations with a one-time link that expires. Every refusal has its Dutch
message and leaves nothing behind; B's records are out of A's reach."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.joining import services as joining
from cooperatives.joining.models import Application, Invitation
from cooperatives.members.models import PRIVACY_STATEMENT_VERSION, Member
from cooperatives.rules.models import Rulebook
from shared.accounts.models import User
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client, login_works
from tests.factories import (
    APPLICANT_PASSWORD,
    ApplicationFactory,
    InvitationFactory,
    MemberFactory,
    NeighbourhoodFactory,
    joining_people,
)
from tests.pages import audit as form_audit
from tests.state import joining_counts
from tests.texts import ALREADY_DECIDED, INVITATION_GONE, SAME_ADDRESS, SAME_EMAIL

VALID = {
    "kind": "resident",
    "name": "Sanne de Vries",
    "email": "Sanne@Example.nl",
    "phone": "030 123 4567",
    "street": "Oudwijk",
    "house_number": "12",
    "postcode": "3581 ab",
    "password": APPLICANT_PASSWORD,
    "message": "Ik help graag met boodschappen.",
    "accept_privacy": "on",
    "accept_disclaimer": "on",
}


ACCEPT = {
    "name": "Gerrit Jansen",
    "phone": "06 1234 5678",
    "street": "Abstederdijk",
    "house_number": "7a",
    "postcode": "3582 BT",
    "password": APPLICANT_PASSWORD,
    "accept_privacy": "on",
    "accept_disclaimer": "on",
}


# --- self-registration -------------------------------------------------------------------------


def test_join_page_shows_the_form_the_disclaimer_and_the_privacy_link(alfa):
    response = client_for(alfa.host).get("/word-lid/")
    assert response.status_code == 200
    html = response.content.decode()
    with schema_context(alfa.schema):
        disclaimer = Rulebook.objects.get().liability_disclaimer
    assert "niet aansprakelijk" in disclaimer
    assert disclaimer.split("\n")[0] in html
    assert "Word lid van Wijkcoöperatie Alfa" in html
    assert 'href="/privacy/"' in html
    for label in ("Ik meld me aan als", "Naam", "E-mailadres", "Postcode", "Kies een wachtwoord"):
        assert f">{label}</label>" in html or f">{label}</legend>" in html
    assert "Ik heb de privacyverklaring gelezen en ga ermee akkoord</label>" in html


def test_every_joining_page_is_dutch_labelled_and_keyboard_friendly(alfa):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    application = ApplicationFactory(schema=alfa.schema)
    token = InvitationFactory(schema=alfa.schema, invited_by=board).token
    anonymous, board_client = client_for(alfa.host), logged_in_client(alfa, member=board)
    pages = [
        (anonymous, "/word-lid/"),
        (anonymous, "/word-lid/verzonden/"),
        (anonymous, "/privacy/"),
        (anonymous, f"/uitnodiging/{token}/"),
        (board_client, "/aanmeldingen/"),
        (board_client, f"/aanmeldingen/{application.pk}/"),
        (board_client, "/uitnodigingen/"),
    ]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        found = form_audit(response.content.decode())
        assert found.html_lang == "nl" and found.has_skip_link, path
        for field in found.inputs:
            assert field.get("id") in found.label_for, f"{path}: field without a label: {field}"


def test_a_logged_in_member_is_sent_home_from_the_join_page(alfa):
    response = logged_in_client(alfa).get("/word-lid/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_applying_by_page_creates_a_pending_application_and_nothing_else(alfa):
    before = joining_counts(alfa.schema)
    client = client_for(alfa.host)
    response = client.post("/word-lid/", VALID)
    assert response.status_code == 302 and response["Location"] == "/word-lid/verzonden/"
    done = client.get(response["Location"]).content.decode()
    assert "Bedankt voor uw aanmelding" in done

    with schema_context(alfa.schema):
        application = Application.objects.get()
        rulebook_version = Rulebook.objects.get().version
    assert (application.status, application.kind) == ("pending", "resident")
    assert (application.name, application.email) == ("Sanne de Vries", "sanne@example.nl")
    assert (application.street, application.house_number) == ("Oudwijk", "12")
    assert (application.postcode, application.phone) == ("3581AB", "030 123 4567")
    assert application.message == "Ik help graag met boodschappen."
    assert application.password_hash != APPLICANT_PASSWORD
    assert check_password(APPLICANT_PASSWORD, application.password_hash)
    assert application.privacy_version == PRIVACY_STATEMENT_VERSION
    assert application.disclaimer_version == rulebook_version
    assert application.consent_at is not None
    assert (application.decided_at, application.decided_by_id, application.member) == (
        None,
        None,
        None,
    )
    after = joining_counts(alfa.schema)
    assert after == {**before, "applications": before["applications"] + 1}
    assert mail.outbox == []
    # Not a member yet: no login.
    assert not login_works(alfa, "sanne@example.nl", APPLICANT_PASSWORD)


REFUSALS = [
    ({"name": "  "}, "Vul de naam in."),
    ({"name": "x" * 151}, "Dit mag hoogstens 150 tekens lang zijn."),
    ({"email": ""}, "Vul uw e-mailadres in."),
    ({"email": "sanne-at-example"}, "Vul een geldig e-mailadres in."),
    ({"postcode": "12345"}, "Vul een geldige postcode in, bijvoorbeeld 3581 AB."),
    ({"kind": "bedrijf"}, "Kies bewoner of organisatie."),
    ({"password": ""}, "Kies een wachtwoord."),
    ({"password": "kort1"}, "Dit wachtwoord is te kort"),
    ({"password": "8312645907"}, "Dit wachtwoord bevat alleen cijfers."),
    ({"message": "x" * 2001}, "Dit mag hoogstens 2000 tekens lang zijn."),
    ({"accept_privacy": None}, "U moet akkoord gaan met de privacyverklaring."),
    ({"accept_disclaimer": None}, "U moet akkoord gaan met de spelregels over aansprakelijkheid."),
]


@pytest.mark.parametrize(("change", "message"), REFUSALS)
def test_a_bad_application_is_refused_with_its_message_and_creates_nothing(alfa, change, message):
    before = joining_counts(alfa.schema)
    data = {k: v for k, v in {**VALID, **change}.items() if v is not None}
    response = client_for(alfa.host).post("/word-lid/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert joining_counts(alfa.schema) == before
    assert mail.outbox == []


def test_every_mistake_is_shown_at_once(alfa):
    data = {**VALID, "name": "", "email": "fout", "postcode": "1"}
    del data["accept_privacy"], data["accept_disclaimer"]
    html = client_for(alfa.host).post("/word-lid/", data).content.decode()
    for message in (
        "Vul de naam in.",
        "Vul een geldig e-mailadres in.",
        "Vul een geldige postcode in",
        "U moet akkoord gaan met de privacyverklaring.",
        "U moet akkoord gaan met de spelregels over aansprakelijkheid.",
    ):
        assert message in html
    assert 'href="#id_accept_privacy"' in html  # the summary links to the checkbox


@pytest.mark.parametrize(
    ("earlier", "change", "message"),
    [
        ("application", {"email": "SANNE@example.nl", "name": "Iemand Anders"}, SAME_EMAIL),
        ("member", {"email": "sanne@example.nl", "name": "Iemand Anders"}, SAME_EMAIL),
        ("application", {"email": "ander@example.nl", "postcode": "3581AB"}, SAME_ADDRESS),
        ("member", {"email": "ander@example.nl", "name": "sanne de vries"}, SAME_ADDRESS),
    ],
)
def test_a_duplicate_application_is_refused(alfa, earlier, change, message):
    if earlier == "application":
        ApplicationFactory(schema=alfa.schema)
    else:
        MemberFactory(
            schema=alfa.schema,
            name="Sanne de Vries",
            email="sanne@example.nl",
            postcode="3581AB",
            house_number="12",
        )
    before = joining_counts(alfa.schema)
    response = client_for(alfa.host).post("/word-lid/", {**VALID, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert joining_counts(alfa.schema) == before


def test_after_a_declined_application_one_may_apply_again(alfa):
    board = MemberFactory(schema=alfa.schema, roles=["board_general"])
    with schema_context(alfa.schema):
        joining.application_decline(
            actor=board, application=ApplicationFactory(schema=alfa.schema), reason="Oud"
        )
    response = client_for(alfa.host).post("/word-lid/", VALID)
    assert response.status_code == 302
    with schema_context(alfa.schema):
        assert list(Application.objects.order_by("id").values_list("status", flat=True)) == [
            "declined",
            "pending",
        ]


def test_an_application_on_b_is_no_duplicate_on_a(alfa, beta):
    ApplicationFactory(schema=beta.schema)
    assert client_for(alfa.host).post("/word-lid/", VALID).status_code == 302
    with schema_context(alfa.schema):
        assert Application.objects.get().email == "sanne@example.nl"


def test_privacy_statement_is_public_and_plain(alfa):
    response = client_for(alfa.host).get("/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Versie van deze privacyverklaring: {PRIVACY_STATEMENT_VERSION}" in html
    for text in (
        "Wat we bewaren",
        "Wie uw gegevens ziet",
        "Een buurtassistent ziet alleen de leden in de eigen buurt.",
        "Wat u nodig heeft aan zorg of hulp ziet alleen wie u daarbij helpt",
        "downloaden",
        "wissen",
        "Neem contact op met het bestuur van Wijkcoöperatie Alfa.",
    ):
        assert text in html


# --- deciding on applications ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/aanmeldingen/", "/aanmeldingen/{pk}/"])
def test_only_coordinators_and_the_board_see_applications(alfa, path):
    application = ApplicationFactory(schema=alfa.schema)
    path = path.format(pk=application.pk)
    anonymous = client_for(alfa.host).get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/inloggen/?next={path}"
    cast = joining_people(alfa)
    for role in ("member", "volunteer", "assistant"):
        refused = logged_in_client(alfa, member=cast[role]).get(path)
        assert refused.status_code == 403, role
        assert "U heeft hier geen toegang toe" in refused.content.decode()
        assert "Sanne de Vries" not in refused.content.decode()
    for client in (logged_in_client(alfa, member=cast["coordinator"]), logged_in_client(alfa)):
        allowed = client.get(path)
        assert allowed.status_code == 200
        assert "Sanne de Vries" in allowed.content.decode()


def test_a_member_cannot_decide_and_nothing_changes(alfa):
    application = ApplicationFactory(schema=alfa.schema)
    cast = joining_people(alfa)
    before = joining_counts(alfa.schema)
    for role in ("member", "volunteer", "assistant"):
        client = logged_in_client(alfa, member=cast[role])
        path = f"/aanmeldingen/{application.pk}/"
        assert client.post(path, {"decision": "approve"}).status_code == 403
        assert client.post(path, {"decision": "decline", "reason": "Nee"}).status_code == 403
    anonymous = client_for(alfa.host).post(
        f"/aanmeldingen/{application.pk}/", {"decision": "approve"}
    )
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/inloggen/")
    assert joining_counts(alfa.schema) == before
    assert mail.outbox == []


def test_the_list_shows_pending_applications_first_oldest_first_with_their_age(alfa):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    old = ApplicationFactory(
        schema=alfa.schema, name="Oude Aanvraag", email="oud@example.nl", house_number="1"
    )
    ApplicationFactory(
        schema=alfa.schema, name="Nieuwe Aanvraag", email="nieuw@example.nl", house_number="2"
    )
    declined = ApplicationFactory(
        schema=alfa.schema, name="Afgewezen Aanvraag", email="af@example.nl", house_number="3"
    )
    with schema_context(alfa.schema):
        Application.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
        joining.application_decline(actor=board, application=declined, reason="Buiten de wijk")
    html = logged_in_client(alfa).get("/aanmeldingen/").content.decode()
    order = [html.index(t) for t in ("Oude Aanvraag", "Nieuwe Aanvraag", "Besloten", "Afgewezen")]
    assert order == sorted(order)
    assert "3\xa0dagen geleden" in html
    assert "afgewezen" in html


def test_approving_by_page_makes_a_member_who_logs_in_with_the_chosen_password(
    alfa, django_capture_on_commit_callbacks
):
    buurt = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    coordinator = MemberFactory(schema=alfa.schema, name="Coco Coördinator", roles=["coordinator"])
    application = ApplicationFactory(schema=alfa.schema)
    client = logged_in_client(alfa, member=coordinator)
    detail = client.get(f"/aanmeldingen/{application.pk}/").content.decode()
    assert "Sanne de Vries goedkeuren" in detail and "Reden van afwijzing" in detail
    assert "Ik help graag met boodschappen." in detail

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/aanmeldingen/{application.pk}/", {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == "/aanmeldingen/"

    with schema_context(alfa.schema):
        application.refresh_from_db()
        member = Member.objects.get(email="sanne@example.nl")
        rulebook_version = Rulebook.objects.get().version
        entry = AuditEntry.objects.get(action="application.approve")
    assert application.status == "approved"
    assert application.decided_by_id == coordinator.pk
    assert timezone.now() - application.decided_at < timedelta(minutes=1)
    assert application.member_id == member.pk and application.password_hash == ""
    assert (member.name, member.kind, member.status) == ("Sanne de Vries", "resident", "active")
    assert (member.street, member.house_number, member.postcode) == ("Oudwijk", "12", "3581AB")
    assert member.neighbourhood_id == buurt.pk
    assert member.privacy_version == PRIVACY_STATEMENT_VERSION
    assert member.disclaimer_version == rulebook_version
    assert member.privacy_accepted_at == application.consent_at
    assert member.consent_on_behalf is False
    assert (entry.actor_id, entry.target_id) == (coordinator.pk, str(application.pk))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sanne@example.nl"]
    assert mail.outbox[0].subject == f"Welkom als lid van {alfa.cooperative.name}"
    assert "https://alfa.noaber.test/inloggen/" in mail.outbox[0].body

    applicant = client_for(alfa.host)
    login = applicant.post(
        "/inloggen/", {"username": "sanne@example.nl", "password": APPLICANT_PASSWORD}
    )
    assert login.status_code == 302 and login["Location"] == "/"
    me = applicant.get("/api/v1/me/").json()
    assert (me["member_id"], me["email"], me["roles"]) == (member.pk, "sanne@example.nl", [])

    # The decision is shown on the record, and a second decision is refused.
    after = client.get(f"/aanmeldingen/{application.pk}/").content.decode()
    assert "Besloten door" in after and "Coco Coördinator" in after
    assert "goedkeuren</button>" not in after
    before = joining_counts(alfa.schema)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/aanmeldingen/{application.pk}/", {"decision": "approve"})
        decline = client.post(
            f"/aanmeldingen/{application.pk}/", {"decision": "decline", "reason": "Toch niet"}
        )
    assert again.status_code == 400 and ALREADY_DECIDED in again.content.decode()
    assert decline.status_code == 400 and ALREADY_DECIDED in decline.content.decode()
    assert joining_counts(alfa.schema) == before
    assert len(mail.outbox) == 1


def test_declining_needs_a_reason_which_the_applicant_reads(
    alfa, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(schema=alfa.schema)
    client = logged_in_client(alfa)
    path = f"/aanmeldingen/{application.pk}/"
    before = joining_counts(alfa.schema)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(path, {"decision": "decline", "reason": "  "})
    assert refused.status_code == 400
    assert "Geef een reden op; de aanvrager krijgt die te lezen." in refused.content.decode()
    assert joining_counts(alfa.schema) == before and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"decision": "decline", "reason": "U woont buiten de wijk."})
    assert response.status_code == 302
    with schema_context(alfa.schema):
        application.refresh_from_db()
        board = Member.objects.get(user__email=alfa.board_email)
        entry = AuditEntry.objects.get(action="application.decline")
        assert not Member.objects.filter(email="sanne@example.nl").exists()
        assert not User.objects.filter(email="sanne@example.nl").exists()
    assert (application.status, application.decision_reason) == (
        "declined",
        "U woont buiten de wijk.",
    )
    assert application.decided_by_id == board.pk and application.decided_at is not None
    assert application.password_hash == ""
    assert (entry.actor_id, entry.target_id) == (board.pk, str(application.pk))
    assert "U woont buiten de wijk" not in entry.summary  # no personal text in the log
    assert [m.to for m in mail.outbox] == [["sanne@example.nl"]]
    assert mail.outbox[0].subject == f"Uw aanmelding bij {alfa.cooperative.name}"
    assert "Reden: U woont buiten de wijk." in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(path, {"decision": "approve"})
    assert again.status_code == 400 and ALREADY_DECIDED in again.content.decode()
    assert len(mail.outbox) == 1


def test_an_application_of_b_is_not_found_on_a(alfa, beta):
    b_application = ApplicationFactory(schema=beta.schema)
    with schema_context(alfa.schema):
        assert not Application.objects.filter(pk=b_application.pk).exists()
    before_a, before_b = joining_counts(alfa.schema), joining_counts(beta.schema)
    client = logged_in_client(alfa)
    path = f"/aanmeldingen/{b_application.pk}/"
    assert client.get(path).status_code == 404
    assert client.post(path, {"decision": "approve"}).status_code == 404
    assert client.post(path, {"decision": "decline", "reason": "Nee"}).status_code == 404
    assert "Sanne de Vries" not in client.get("/aanmeldingen/").content.decode()
    assert (joining_counts(alfa.schema), joining_counts(beta.schema)) == (before_a, before_b)
    with schema_context(beta.schema):
        assert Application.objects.get().status == "pending"


# --- invitations -------------------------------------------------------------------------------


def test_only_coordinators_and_the_board_send_invitations(alfa):
    anonymous = client_for(alfa.host).get("/uitnodigingen/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/inloggen/?next=/uitnodigingen/"
    cast = joining_people(alfa)
    before = joining_counts(alfa.schema)
    for role in ("member", "volunteer", "assistant"):
        client = logged_in_client(alfa, member=cast[role])
        assert client.get("/uitnodigingen/").status_code == 403
        assert client.post("/uitnodigingen/", {"email": "x@example.nl"}).status_code == 403
    assert (
        logged_in_client(alfa, member=cast["coordinator"]).get("/uitnodigingen/").status_code == 200
    )
    assert logged_in_client(alfa).get("/uitnodigingen/").status_code == 200
    assert joining_counts(alfa.schema) == before and mail.outbox == []


def test_inviting_by_page_emails_a_one_time_link(alfa, django_capture_on_commit_callbacks):
    coordinator = MemberFactory(schema=alfa.schema, name="Coco Coördinator", roles=["coordinator"])
    client = logged_in_client(alfa, member=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/uitnodigingen/", {"email": " Gerrit@Example.nl ", "name": "Gerrit Jansen"}
        )
    assert response.status_code == 302 and response["Location"] == "/uitnodigingen/"

    with schema_context(alfa.schema):
        invitation = Invitation.objects.get()
        entry = AuditEntry.objects.get(action="invitation.send")
    assert (invitation.email, invitation.name) == ("gerrit@example.nl", "Gerrit Jansen")
    assert invitation.invited_by_id == coordinator.pk and invitation.used_at is None
    expected_expiry = timezone.now() + timedelta(days=14)
    assert abs(invitation.expires_at - expected_expiry) < timedelta(minutes=1)
    assert (entry.actor_id, entry.target_id) == (coordinator.pk, str(invitation.pk))

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["gerrit@example.nl"]
    link = re.search(r"https://alfa\.noaber\.test/uitnodiging/([\w-]+)/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    token = link.group(1)
    assert hashlib.sha256(token.encode()).hexdigest() == invitation.token_hash

    page = client.get("/uitnodigingen/").content.decode()
    assert "De uitnodiging is verstuurd naar gerrit@example.nl." in page
    assert "Gerrit Jansen" in page and "Open, geldig tot" in page
    assert token not in page and invitation.token_hash not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": ""}, "Vul het e-mailadres in."),
        ({"email": "gerrit-at-example"}, "Vul een geldig e-mailadres in."),
        ({"email": "lid@alfa.example.nl"}, "Er is al een lid met dit e-mailadres."),
        ({"email": "g@example.nl", "name": "x" * 151}, "Dit mag hoogstens 150 tekens lang zijn."),
    ],
)
def test_a_bad_invitation_is_refused_and_nothing_is_sent(alfa, data, message):
    MemberFactory(schema=alfa.schema, email="lid@alfa.example.nl")
    before = joining_counts(alfa.schema)
    response = logged_in_client(alfa).post("/uitnodigingen/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert joining_counts(alfa.schema) == before and mail.outbox == []


def test_a_new_invitation_replaces_the_open_one(alfa):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    first_token = InvitationFactory(schema=alfa.schema, invited_by=board).token
    second_token = InvitationFactory(schema=alfa.schema, invited_by=board).token
    client = client_for(alfa.host)
    assert client.get(f"/uitnodiging/{first_token}/").status_code == 404
    assert client.get(f"/uitnodiging/{second_token}/").status_code == 200
    html = logged_in_client(alfa).get("/uitnodigingen/").content.decode()
    assert "Verlopen" in html and "Open, geldig tot" in html


def test_accepting_an_invitation_makes_a_logged_in_member_once(
    alfa, django_capture_on_commit_callbacks
):
    board = MemberFactory(schema=alfa.schema, name="Bert Bestuur", roles=["board_chair"])
    invitation = InvitationFactory(schema=alfa.schema, invited_by=board, name="Gerrit Jansen")
    token = invitation.token
    client = client_for(alfa.host)
    page = client.get(f"/uitnodiging/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Gerrit Jansen"' in html and "gerrit@example.nl" in html
    assert "niet aansprakelijk" in html and 'href="/privacy/"' in html

    response = client.post(f"/uitnodiging/{token}/", ACCEPT)
    assert response.status_code == 302 and response["Location"] == "/"
    me = client.get("/api/v1/me/").json()
    with schema_context(alfa.schema):
        invitation.refresh_from_db()
        member = Member.objects.get(email="gerrit@example.nl")
        entry = AuditEntry.objects.get(action="invitation.accept")
        rulebook_version = Rulebook.objects.get().version
    assert (me["member_id"], me["email"]) == (member.pk, "gerrit@example.nl")
    assert (member.name, member.phone, member.postcode) == (
        "Gerrit Jansen",
        "06 1234 5678",
        "3582BT",
    )
    assert (member.street, member.house_number) == ("Abstederdijk", "7a")
    assert member.privacy_version == PRIVACY_STATEMENT_VERSION
    assert member.disclaimer_version == rulebook_version
    assert member.consent_on_behalf is False
    assert invitation.used_at is not None and invitation.member_id == member.pk
    assert (entry.actor_id, entry.target_id) == (member.pk, str(invitation.pk))
    assert login_works(alfa, "gerrit@example.nl", APPLICANT_PASSWORD)

    # One time only: the link is used up, for a page view and for a second try.
    before = joining_counts(alfa.schema)
    other = client_for(alfa.host)
    gone = other.get(f"/uitnodiging/{token}/")
    assert gone.status_code == 404 and INVITATION_GONE in gone.content.decode()
    again = other.post(f"/uitnodiging/{token}/", {**ACCEPT, "name": "Indringer"})
    assert again.status_code == 404
    assert joining_counts(alfa.schema) == before


def test_an_expired_or_unknown_invitation_is_refused(alfa):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    invitation = InvitationFactory(schema=alfa.schema, invited_by=board)
    token = invitation.token
    with schema_context(alfa.schema):
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    before = joining_counts(alfa.schema)
    client = client_for(alfa.host)
    for path in (f"/uitnodiging/{token}/", "/uitnodiging/onbekend-token/"):
        page = client.get(path)
        assert page.status_code == 404 and INVITATION_GONE in page.content.decode()
        assert client.post(path, ACCEPT).status_code == 404
    assert joining_counts(alfa.schema) == before
    assert not login_works(alfa, "gerrit@example.nl", APPLICANT_PASSWORD)


def test_a_token_of_a_is_refused_on_b(alfa, beta):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    invitation = InvitationFactory(schema=alfa.schema, invited_by=board)
    token = invitation.token
    before_a, before_b = joining_counts(alfa.schema), joining_counts(beta.schema)
    client = client_for(beta.host)
    assert client.get(f"/uitnodiging/{token}/").status_code == 404
    assert client.post(f"/uitnodiging/{token}/", ACCEPT).status_code == 404
    assert (joining_counts(alfa.schema), joining_counts(beta.schema)) == (before_a, before_b)
    with schema_context(alfa.schema):
        assert Invitation.objects.get(pk=invitation.pk).is_open


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"accept_privacy": None}, "U moet akkoord gaan met de privacyverklaring."),
        (
            {"accept_disclaimer": None},
            "U moet akkoord gaan met de spelregels over aansprakelijkheid.",
        ),
        ({"password": "kort1"}, "Dit wachtwoord is te kort"),
        ({"name": ""}, "Vul de naam in."),
        ({"postcode": "abc"}, "Vul een geldige postcode in, bijvoorbeeld 3581 AB."),
    ],
)
def test_a_bad_acceptance_is_refused_and_the_link_stays_open(alfa, change, message):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    invitation = InvitationFactory(schema=alfa.schema, invited_by=board)
    token = invitation.token
    before = joining_counts(alfa.schema)
    data = {k: v for k, v in {**ACCEPT, **change}.items() if v is not None}
    client = client_for(alfa.host)
    response = client.post(f"/uitnodiging/{token}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert joining_counts(alfa.schema) == before
    assert client.get("/api/v1/me/").status_code == 403  # not logged in
    with schema_context(alfa.schema):
        assert Invitation.objects.get(pk=invitation.pk).is_open


def test_a_logged_in_member_following_an_invitation_is_sent_home(alfa):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    invitation = InvitationFactory(schema=alfa.schema, invited_by=board)
    token = invitation.token
    response = logged_in_client(alfa).get(f"/uitnodiging/{token}/")
    assert response.status_code == 302 and response["Location"] == "/"
    with schema_context(alfa.schema):
        assert Invitation.objects.get(pk=invitation.pk).is_open
