"""House rules and rates (spelregels en tarieven) on the pages: members read the version in force
in plain Dutch, every version stays readable as it was, and the board changes rules through a
preview that saves nothing until it is confirmed."""

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_current, rulebook_latest
from cooperatives.rules.services import rulebook_revise
from cooperatives.setup.models import Cluster
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory, PartnerFactory, RulebookFactory, decided
from tests.pages import audit
from tests.state import board_member, cluster_named, rulebook_versions

EDIT = "/spelregels/wijzigen/"


TODAY = timezone.localdate
# The decision that adopts a version, recorded on the form itself (unanimous, today).
DECIDED = {"decided_on": TODAY().strftime("%d-%m-%Y"), "votes": "unanimous"}


class FormValues(HTMLParser):
    """What a browser would send for the form fields on a page: text and hidden inputs,
    checked radios, selected options and textareas, as they are filled in."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") == "radio":
                if "checked" in a:
                    self.values[name] = a["value"]
            elif a.get("type") != "submit":
                self.values[name] = a.get("value", "")
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def form_values(html: str) -> dict[str, str]:
    parser = FormValues()
    parser.feed(html)
    return parser.values


def revisions_logged(coop) -> int:
    with schema_context(coop.schema):
        return AuditEntry.objects.filter(action="rulebook.revise").count()


def prefilled(client) -> dict[str, str]:
    response = client.get(EDIT)
    assert response.status_code == 200
    return form_values(response.content.decode())


# --- reading -----------------------------------------------------------------------------------


def test_member_reads_every_rule_in_plain_dutch(alfa):
    partner = PartnerFactory(schema=alfa.schema, name="Buurtbedrijf De Klus")
    RulebookFactory(
        schema=alfa.schema, partner_rates={str(partner.pk): "12,50"}, share_euro_percent="5"
    )
    member = MemberFactory(schema=alfa.schema, name="Gewoon Lid")
    html = logged_in_client(alfa, member=member).get("/spelregels/").content.decode()
    today = TODAY()
    for text in (
        f"Versie 2, geldig vanaf {today.day} ",
        "Dit zijn de spelregels die nu gelden.",
        "Vastgesteld bij besluit",
        "Een klus kost € 4,50 per uur.",
        "Er worden geen tijdpunten geboekt.",
        "De coöperatie houdt geen deel van de punten in.",
        "De coöperatie krijgt 5 procent van het bedrag van elke klus.",
        "<td>Wandelen</td><td>gratis</td>",
        "<td>Reparaties</td><td>klus: betaald per uur in euro&#x27;s</td>",
        "Buurtbedrijf De Klus: € 12,50 per uur",
        "Een dienst duurt hoogstens 2 uur.",
        "Een hulpvrager heeft hoogstens 1 dienst tegelijk open.",
        "De hulpvrager krijgt binnen 7 dagen terugkoppeling.",
        "Voor een klus bevestigt de hulpvrager eerst dat familie, vrienden en buren niet "
        "kunnen helpen.",
        # The Oost template refers klussen of more than 2 hours to the partners (issue 11).
        "Een klus van meer dan 2 uur gaat naar een partner.",
        "De coöperatie concurreert niet met sociale ondernemers: grote klussen gaan naar hen.",
        "Punten worden geboekt zonder aparte goedkeuring door de ontvanger.",
        "Nieuwe leden krijgen geen startpunten.",
        "Er is geen grens aan het puntensaldo.",
        "De wijkcoöperatie is niet aansprakelijk voor schade aan uw eigendommen",
    ):
        assert text in html, text
    assert EDIT not in html  # a member gets no edit link


def test_points_rules_of_a_wij_cooperative(beta):
    html = logged_in_client(beta).get("/spelregels/").content.decode()
    for text in (
        "Versie 1, geldig vanaf",
        "Vastgesteld bij: Sjabloon bij oprichting: WIJ-coöperatie (tijdpunten)",
        "Een uur hulp levert 2 tijdpunten op.",
        "De ontvanger keurt de kwaliteit goed voordat punten worden geboekt.",
        "Nieuwe leden krijgen 10 startpunten.",
        "Het puntensaldo blijft tussen -20 en 20.",
        "<td>(Auto)vervoer</td><td>betaald in tijdpunten</td>",
        "Er zijn geen sociale tarieven van partners vastgesteld.",
        "Er is geen tekst over aansprakelijkheid vastgesteld.",
    ):
        assert text in html, text
    assert EDIT in html  # the board gets the edit link


def test_history_keeps_every_version_as_it_was(alfa):
    RulebookFactory(schema=alfa.schema, euro_rate_per_hour="5")
    RulebookFactory(schema=alfa.schema, euro_rate_per_hour="5,50", feedback_days=5)
    client = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema))
    history = client.get("/spelregels/versies/").content.decode()
    assert history.index("Versie 3") < history.index("Versie 2") < history.index("Versie 1")
    assert history.count("geldt niet meer") == 2 and history.count("geldt nu") == 1
    first = client.get("/spelregels/versies/1/").content.decode()
    assert "Spelregels en tarieven, versie 1" in first
    assert "Een klus kost € 4,50 per uur." in first
    assert "De hulpvrager krijgt binnen 7 dagen terugkoppeling." in first
    assert "Deze versie geldt niet meer." in first
    second = client.get("/spelregels/versies/2/").content.decode()
    assert "Een klus kost € 5,00 per uur." in second
    third = client.get("/spelregels/versies/3/").content.decode()
    assert "Een klus kost € 5,50 per uur." in third and "binnen 5 dagen" in third
    assert client.get("/spelregels/versies/4/").status_code == 404
    with schema_context(alfa.schema):
        first = Rulebook.objects.get(version=1)
        assert (first.euro_rate_per_hour, first.feedback_days) == (Decimal("4.50"), 7)


def test_a_future_version_is_not_in_force_yet(alfa):
    later = TODAY() + dt.timedelta(days=30)
    RulebookFactory(schema=alfa.schema, effective_from=later, euro_rate_per_hour="6")
    with schema_context(alfa.schema):
        assert rulebook_current().version == 1
        assert rulebook_latest().version == 2
        assert rulebook_current(on=later).version == 2
        assert rulebook_current(on=later - dt.timedelta(days=1)).version == 1
    client = logged_in_client(alfa)
    page = client.get("/spelregels/").content.decode()
    assert "Een klus kost € 4,50 per uur." in page
    assert f"versie 2 gaat in op {later.day} " in page
    assert "/spelregels/versies/2/" in page
    assert "Deze versie is vastgesteld, maar gaat pas later in." in (
        client.get("/spelregels/versies/2/").content.decode()
    )
    assert "gaat later in" in client.get("/spelregels/versies/").content.decode()
    # The board edits from the newest version, and it cannot start before the scheduled one.
    data = prefilled(client)
    assert data["euro_rate_per_hour"] == "6,00"
    assert data["effective_from"] == later.strftime("%d-%m-%Y")
    data.update(feedback_days="3", **DECIDED, effective_from=TODAY().strftime("%d-%m-%Y"))
    refused = client.post(EDIT, data)
    assert refused.status_code == 400
    assert "Versie 2 gaat pas in op" in refused.content.decode()
    assert rulebook_versions(alfa) == [1, 2]


# --- changing: preview, then confirm -----------------------------------------------------------


def test_edit_form_starts_from_the_newest_version(alfa):
    tuin = cluster_named(alfa, "Tuin").pk
    data = prefilled(logged_in_client(alfa))
    assert data["euro_rate_per_hour"] == "4,50"
    assert data["max_service_hours"] == "2"
    assert data["max_open_services"] == "1"
    assert data["feedback_days"] == "7"
    assert data["klus_needs_network_check"] == "1"
    assert data["recipient_approves_quality"] == "0"
    assert data["points_per_hour"] == data["starter_points"] == data["min_balance"] == ""
    assert data["share_points_percent"] == "0"
    assert data[f"cluster_{tuin}"] == "euros"
    assert data["liability_disclaimer"].startswith("De wijkcoöperatie is niet aansprakelijk")
    assert data["effective_from"] == TODAY().strftime("%d-%m-%Y")
    assert data["decision"] == data["decided_on"] == ""


def test_preview_saves_nothing_and_confirm_makes_the_next_version(alfa):
    tuin = cluster_named(alfa, "Tuin").pk
    client = logged_in_client(alfa)
    data = prefilled(client)
    data.update(
        {
            "euro_rate_per_hour": "5,25",  # decimal comma
            "max_open_services": "2",
            f"cluster_{tuin}": "both",
            **DECIDED,
        }
    )
    preview = client.post(EDIT, data)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Controleer de wijzigingen" in html
    assert "Dit wordt versie 2 van de spelregels" in html
    assert (
        '<th scope="row">Euro per uur voor een klus</th><td>€ 4,50</td><td><strong>€ 5,25' in html
    )
    assert (
        '<th scope="row">Vergoeding: Tuin</th><td>klus: betaald per uur in euro&#x27;s</td>' in html
    )
    assert "euro&#x27;s en tijdpunten" in html
    assert html.count('<th scope="row">') == 3  # only what changes
    assert rulebook_versions(alfa) == [1] and revisions_logged(alfa) == 0

    # Back to the form: the board's own values are still there, still nothing saved.
    hidden = form_values(html)
    back = client.post(EDIT, {**hidden, "back": "1"})
    assert back.status_code == 200 and "Bekijk de wijzigingen" in back.content.decode()
    assert form_values(back.content.decode())["euro_rate_per_hour"] == "5,25"
    assert rulebook_versions(alfa) == [1]

    confirmed = client.post(EDIT, {**hidden, "confirm": "1"})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/spelregels/versies/2/"
    assert (
        "Versie 2 van de spelregels is vastgesteld."
        in client.get("/spelregels/versies/2/").content.decode()
    )
    with schema_context(alfa.schema):
        old, new = Rulebook.objects.get(version=1), Rulebook.objects.get(version=2)
        assert new.euro_rate_per_hour == Decimal("5.25")
        assert new.max_open_services == 2
        assert new.cluster_compensation == {**old.cluster_compensation, str(tuin): "both"}
        assert new.effective_from == TODAY()
        assert new.decision.body.kind == "general_board" and new.decision.adopted
        assert new.created_by_id == board_member(alfa).pk
        unchanged = ("max_service_hours", "feedback_days", "liability_disclaimer", "partner_rates")
        assert all(getattr(new, f) == getattr(old, f) for f in unchanged)
        assert (old.euro_rate_per_hour, old.max_open_services) == (Decimal("4.50"), 1)
        assert old.cluster_compensation[str(tuin)] == "euros"
        assert rulebook_current().version == 2


def test_a_version_made_meanwhile_is_not_undone_by_a_stale_confirm(alfa):
    client = logged_in_client(alfa)
    data = {**prefilled(client), "euro_rate_per_hour": "6", **DECIDED}
    hidden = form_values(client.post(EDIT, data).content.decode())
    assert hidden["based_on"] == "1"
    RulebookFactory(
        schema=alfa.schema, feedback_days=3
    )  # someone else, between preview and confirm
    again = client.post(EDIT, {**hidden, "confirm": "1"})
    html = again.content.decode()
    assert again.status_code == 200 and "Intussen is versie 2 vastgesteld." in html
    assert "Dit wordt versie 3 van de spelregels" in html
    assert rulebook_versions(alfa) == [1, 2]
    hidden = form_values(html)
    assert hidden["based_on"] == "2"
    assert client.post(EDIT, {**hidden, "confirm": "1"})["Location"] == "/spelregels/versies/3/"
    with schema_context(alfa.schema):
        third = Rulebook.objects.get(version=3)
    # The board saw the preview (feedback 3 → 7 included) and confirmed it.
    assert (third.euro_rate_per_hour, third.feedback_days) == (Decimal("6.00"), 7)


def test_a_revision_is_in_the_audit_log(alfa):
    tuin = cluster_named(alfa, "Tuin").pk
    client = logged_in_client(alfa)
    data = prefilled(client)
    data.update({"euro_rate_per_hour": "5", f"cluster_{tuin}": "", **DECIDED})
    client.post(EDIT, {**data, "confirm": "1"})
    with schema_context(alfa.schema):
        entry = AuditEntry.objects.get(action="rulebook.revise")
        rulebook = Rulebook.objects.get(version=2)
        old_map = Rulebook.objects.get(version=1).cluster_compensation
    assert entry.actor_id == board_member(alfa).pk
    assert (entry.target_type, entry.target_id) == ("cooperatives.rulebook", str(rulebook.pk))
    assert entry.summary == f"Spelregels v2, geldig vanaf {TODAY():%d-%m-%Y}"
    new_map = {k: v for k, v in old_map.items() if k != str(tuin)}
    assert entry.changes == {
        "euro_rate_per_hour": ["4.50", "5.00"],
        "cluster_compensation": [old_map, new_map],
    }


def test_a_partner_rate_is_set_and_removed_with_a_decimal_comma(alfa):
    partner = PartnerFactory(schema=alfa.schema, name="Klusbedrijf Oost")
    client = logged_in_client(alfa)
    data = {**prefilled(client), f"partner_{partner.pk}": "17,5", **DECIDED}
    client.post(EDIT, {**data, "confirm": "1"})
    data = prefilled(client)
    assert data[f"partner_{partner.pk}"] == "17,50"
    data.update({f"partner_{partner.pk}": "", **DECIDED})
    client.post(EDIT, {**data, "confirm": "1"})
    with schema_context(alfa.schema):
        rates = [r.partner_rates for r in Rulebook.objects.order_by("version")]
    assert rates == [{}, {str(partner.pk): "17.50"}, {}]


def test_unchanged_rules_are_refused(alfa):
    client = logged_in_client(alfa)
    data = {**prefilled(client), **DECIDED}
    for extra in ({}, {"confirm": "1"}):
        response = client.post(EDIT, {**data, **extra})
        assert response.status_code == 400
        assert (
            "Er is niets gewijzigd ten opzichte van de huidige versie." in response.content.decode()
        )
    assert rulebook_versions(alfa) == [1] and revisions_logged(alfa) == 0


REFUSALS = [
    ({"min_balance": "5"}, "Het laagste saldo mag niet boven 0 liggen."),
    (
        {"min_balance": "-10", "max_balance": "-20"},
        "Het hoogste saldo moet minstens zo hoog zijn als het laagste.",
    ),
    ({"max_balance": "-1"}, "Het hoogste saldo mag niet onder 0 liggen."),
    (
        {"starter_points": "30", "max_balance": "20"},
        "Startpunten mogen niet boven het hoogste saldo uitkomen.",
    ),
    ({"starter_points": "-1"}, "Startpunten kunnen niet negatief zijn."),
    ({"share_points_percent": "101"}, "Een aandeel ligt tussen 0 en 100 procent."),
    ({"share_euro_percent": "-0,5"}, "Een aandeel ligt tussen 0 en 100 procent."),
    ({"euro_rate_per_hour": "-4,50"}, "Een tarief kan niet negatief zijn."),
    ({"points_per_hour": "-1"}, "Een tarief kan niet negatief zijn."),
    ({"euro_rate_per_hour": ""}, "Vul een getal in (0 als er niets geldt)."),
    ({"euro_rate_per_hour": "vier"}, "Vul een getal in, bijvoorbeeld 4,50."),
    ({"max_open_services": "0"}, "Vul minstens 1 in, of laat het veld leeg."),
    ({"max_open_services": "1,5"}, "Vul een heel getal in."),
    ({"max_service_hours": "0"}, "Vul een aantal uren groter dan 0 in, of laat het veld leeg."),
    ({"feedback_days": "99999"}, "Dit getal is te groot."),
    (
        {"effective_from": "YESTERDAY"},
        "Een nieuwe versie kan niet met terugwerkende kracht ingaan.",
    ),
    (
        {"effective_from": "31-02-2030"},
        "Vul een datum in als dag-maand-jaar, bijvoorbeeld 25-12-2026.",
    ),
    ({"decided_on": ""}, "Deze wijziging gaat pas in met een besluit."),
    ({"PARTNER": "-5"}, "Onbekende partner of ongeldig sociaal tarief."),
]


@pytest.mark.parametrize("confirm", [False, True], ids=["preview", "confirm"])
@pytest.mark.parametrize(("changes", "message"), REFUSALS)
def test_invalid_rules_are_refused_and_nothing_is_saved(alfa, changes, message, confirm):
    partner = PartnerFactory(schema=alfa.schema, name="Partner")
    client = logged_in_client(alfa)
    data = {**prefilled(client), **DECIDED, "feedback_days": "6"}
    for key, value in changes.items():
        if value == "YESTERDAY":
            value = (TODAY() - dt.timedelta(days=1)).strftime("%d-%m-%Y")
        data[f"partner_{partner.pk}" if key == "PARTNER" else key] = value
    if confirm:
        data["confirm"] = "1"
    response = client.post(EDIT, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Er ging iets mis" in html and "Controleer de wijzigingen" not in html
    assert rulebook_versions(alfa) == [1] and revisions_logged(alfa) == 0


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "may_edit"),
    [
        ([], False),
        (["volunteer"], False),
        (["coordinator"], False),
        (["neighbourhood_assistant"], False),
        (["audit_committee"], False),
        (["board_general"], True),
        (["board_treasurer"], True),
        (["administrator"], True),
    ],
)
def test_every_member_reads_only_the_board_edits(alfa, roles, may_edit):
    member = MemberFactory(schema=alfa.schema, roles=roles)
    client = logged_in_client(alfa, member=member)
    assert client.get("/spelregels/").status_code == 200
    assert client.get("/spelregels/versies/").status_code == 200
    assert client.get("/spelregels/versies/1/").status_code == 200
    data = {**prefilled(logged_in_client(alfa)), "euro_rate_per_hour": "9", **DECIDED}
    response = client.post(EDIT, {**data, "confirm": "1"})
    if may_edit:
        assert client.get(EDIT).status_code == 200
        assert response.status_code == 302 and rulebook_versions(alfa) == [1, 2]
        with schema_context(alfa.schema):
            assert Rulebook.objects.get(version=2).created_by_id == member.pk
    else:
        assert client.get(EDIT).status_code == 403
        assert response.status_code == 403 and "geen toegang" in response.content.decode()
        assert rulebook_versions(alfa) == [1] and revisions_logged(alfa) == 0


def test_visitors_are_sent_to_the_login(alfa):
    for path in ("/spelregels/", "/spelregels/versies/1/", EDIT):
        response = client_for(alfa.host).get(path)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    assert client_for(alfa.host).post(EDIT, {"confirm": "1"}).status_code == 302
    assert rulebook_versions(alfa) == [1]


# --- one cooperative never sees another's --------------------------------------------------------


def test_a_version_made_on_a_is_not_on_b(alfa, beta):
    RulebookFactory(schema=alfa.schema, euro_rate_per_hour="7")
    client = logged_in_client(beta)
    assert "Versie 2" not in client.get("/spelregels/versies/").content.decode()
    assert client.get("/spelregels/versies/2/").status_code == 404
    assert "Een klus kost € 4,50 per uur." in client.get("/spelregels/").content.decode()
    assert rulebook_versions(beta) == [1]


def test_a_version_number_only_b_has_is_404_on_a(alfa, beta):
    RulebookFactory(schema=beta.schema, starter_points=5)
    RulebookFactory(schema=beta.schema, starter_points=6)
    assert rulebook_versions(beta) == [1, 2, 3] and rulebook_versions(alfa) == [1]
    client = logged_in_client(alfa)
    assert client.get("/spelregels/versies/3/").status_code == 404
    assert logged_in_client(beta).get("/spelregels/versies/3/").status_code == 200


def test_a_cluster_of_a_posted_to_b_is_refused(alfa, beta):
    with schema_context(beta.schema):
        beta_ids = set(Cluster.objects.values_list("pk", flat=True))
    with schema_context(alfa.schema):
        only_alfa = max(set(Cluster.objects.values_list("pk", flat=True)) - beta_ids)
    client = logged_in_client(beta)
    data = {**prefilled(client), f"cluster_{only_alfa}": "free", **DECIDED}
    response = client.post(EDIT, {**data, "confirm": "1"})
    # B's form has no such field: the value is ignored, so nothing changes at all.
    assert response.status_code == 400
    assert "Er is niets gewijzigd" in response.content.decode()
    assert rulebook_versions(beta) == [1]
    with schema_context(beta.schema), pytest.raises(ValidationError) as refused:
        rulebook_revise(
            actor=None,
            changes={"cluster_compensation": {str(only_alfa): "free"}},
            decision=decided(),
        )
    assert refused.value.message_dict == {
        "cluster_compensation": ["Onbekend cluster of onbekende vergoeding."]
    }
    assert rulebook_versions(beta) == [1]


def test_rule_pages_label_every_field(alfa):
    client = logged_in_client(alfa)
    for path in ("/spelregels/", "/spelregels/versies/", "/spelregels/versies/1/", EDIT):
        found = audit(client.get(path).content.decode())
        assert found.html_lang == "nl" and found.has_skip_link
        for field in found.inputs:
            assert field.get("id") in found.label_for, f"{path}: field without a label: {field}"
    assert len(audit(client.get(EDIT).content.decode()).inputs) > 20
