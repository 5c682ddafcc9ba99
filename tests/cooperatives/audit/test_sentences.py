"""The audit log for the board: a sentence per action in plain words, values as the pages show
them, newest first, fifty to a page; never a code such as ``rulebook.revise`` or a raw value
such as ``['4.50', '5.00']``. Every action the code logs has its sentence."""

import html
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.audit.selectors import audit_lines, audit_list
from cooperatives.marketplace import services as marketplace
from cooperatives.members.models import Member, Role
from cooperatives.members.services import (
    member_assign_roles,
    member_password_reset_send,
    member_update,
)
from cooperatives.rules.services import rulebook_revise
from cooperatives.setup.models import Cluster
from cooperatives.setup.services import cluster_set_active, neighbourhood_create
from shared.audit.sentences import audit_sentence_actions
from shared.audit.services import audit_record
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory, ServiceFactory, decided

REPO_ROOT = Path(__file__).resolve().parents[3]


def board(coop) -> Member:
    with schema_context(coop.schema):
        return Member.objects.get(email=coop.board_email)


def log_page(coop, query: str = "", **client) -> str:
    response = logged_in_client(coop, **client).get(f"/logboek/{query}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def sentences(page: str) -> list[str]:
    """The log's sentences on a page, top to bottom."""
    listed = re.search(r'<ol class="log">(.*?)</ol>', page, re.S)
    found = re.findall(r"<p>(.*?)</p>", listed.group(1), re.S) if listed else []
    return [" ".join(s.split()) for s in found]


def test_a_change_of_the_rates_reads_as_a_sentence_with_euros(alfa, beta):
    anna = board(alfa)
    with schema_context(alfa.schema):
        rulebook_revise(actor=anna, changes={"euro_rate_per_hour": "5.00"}, decision=decided())
    page = log_page(alfa)
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert (
        f"Anna Alfa wijzigde de spelregels (versie 2, geldig vanaf {today}): euro per uur voor "
        "een klus van € 4,50 naar € 5,00." in sentences(page)
    )
    assert "rulebook.revise" not in page and "4.50" not in page and "['" not in page


def test_members_roles_and_personal_changes_are_named_not_shown(alfa, beta):
    anna = board(alfa)
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk", phone="0301234567")
    with schema_context(alfa.schema):
        member_update(actor=anna, member=piet, phone="0307654321", uses_internet=False)
        member_assign_roles(actor=anna, member=piet, roles={Role.VOLUNTEER})
    lines = sentences(log_page(alfa))
    assert lines[:2] == [
        "Anna Alfa wijzigde de rollen van Piet Puk: erbij: vrijwilliger.",
        "Anna Alfa wijzigde de gegevens van Piet Puk: telefoon gewijzigd; gebruikt zelf "
        "internet van ja naar nee.",
    ]
    assert "0307654321" not in log_page(alfa)


def test_a_retired_cluster_and_a_subscription_state_in_words(alfa, beta):
    anna = board(alfa)
    with schema_context(alfa.schema):
        walking = Cluster.objects.get(name="Wandelen")
        cluster_set_active(actor=anna, cluster=walking, active=False)
        audit_record(
            actor_id=None,
            action="billing.subscription_status",
            target_type="billing.subscription",
            target_id=1,
            summary="Abonnement: active → past_due",
            changes={"status": ["active", "past_due"]},
        )
    lines = sentences(log_page(alfa))
    assert lines[:2] == [
        "Het abonnement is nu achterstallig (was: actief).",
        "Anna Alfa zette het cluster Wandelen buiten gebruik.",
    ]


def test_a_new_buurt_lists_what_it_was_given_but_not_what_is_personal(alfa, beta):
    with schema_context(alfa.schema):
        neighbourhood_create(
            actor=board(alfa),
            name="Oudwijk",
            network_name="Oudwijk Dichtbij",
            contact="buurt@oudwijk.example.nl",
            postcodes=["3581"],
            streets=["Oudwijkerdwarsstraat"],
        )
    [line] = sentences(log_page(alfa))
    assert line == (
        "Anna Alfa maakte de buurt Oudwijk aan: naam buurtnetwerk: Oudwijk Dichtbij; "
        "postcodes: 3581; straten: oudwijkerdwarsstraat."
    )


def test_the_log_reads_in_english_for_an_english_reader(alfa, beta):
    anna = board(alfa)
    with schema_context(alfa.schema):
        rulebook_revise(actor=anna, changes={"feedback_days": 3}, decision=decided())
    client = logged_in_client(alfa)
    client.cookies["django_language"] = "en"
    page = html.unescape(client.get("/logboek/").content.decode())
    assert "Anna Alfa changed the house rules (version 2, in force from" in page
    assert "from 7 days to 3 days." in page


def test_disputed_hours_read_as_sentences_with_the_hours(alfa, beta):
    with schema_context(alfa.schema):
        service = ServiceFactory(schema=alfa.schema, held_days_ago=1, state="registered")
        rita, vera = service.requester, service.volunteer
        marketplace.service_dispute(actor=rita, service=service, reason="Een uur, geen anderhalf")
        marketplace.service_dispute_resolve(actor=vera, service=service, hours="1")
        marketplace.service_confirm_and_approve(actor=rita, service=service)
    n = service.pk
    assert sentences(log_page(alfa))[:3] == [
        f"Rita Hulpvrager bevestigde de uren van dienst {n} en keurde de kwaliteit goed.",
        f"Vera Vrijwilliger stelde de betwiste uren van dienst {n} vast op 1 uur (was 1,5 uur).",
        f"Rita Hulpvrager liet weten dat de geregistreerde uren van dienst {n} niet kloppen.",
    ]
    assert f"dienst {n}" not in " ".join(sentences(log_page(beta)))


def test_the_cooperative_details_and_what_a_coordinator_does_for_a_member(alfa, beta):
    response = logged_in_client(alfa).post(
        "/cooperatie/gegevens/",
        {"contact_email": "info@alfa.example.nl", "place": "Utrecht", "postcode_areas": "3581"},
    )
    assert response.status_code == 302
    coco = MemberFactory(schema=alfa.schema, name="Coco Coördinator", roles=[Role.COORDINATOR])
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk")
    with schema_context(alfa.schema):
        marketplace.contact_sharing_set(
            actor=coco, member=piet, share_phone=True, share_email=False
        )
        member_password_reset_send(actor=coco, member=piet)
    assert sentences(log_page(alfa))[:3] == [
        "Coco Coördinator stuurde Piet Puk een link om een nieuw wachtwoord te kiezen.",
        "Coco Coördinator stelde voor Piet Puk in wat de ander bij een afspraak ziet: "
        "telefoonnummer tonen van nee naar ja.",
        "Anna Alfa wijzigde de gegevens van de coöperatie: contactadres: info@alfa.example.nl; "
        "plaats: Utrecht; postcodegebieden: 3581.",
    ]
    assert "Piet Puk" not in log_page(beta) and "coöperatie:" not in log_page(beta)


def test_fifty_to_a_page_newest_first_and_filtered_by_subject(alfa, beta):
    with schema_context(alfa.schema):
        for n in range(1, 121):
            audit_record(
                actor_id=None,
                action="points.grant",
                target_type="points.transfer",
                target_id=n,
                summary=f"{n} punten uit de solidariteitspot",
            )
        audit_record(actor_id=None, action="offer.expire", target_type="x", target_id=7)
    first = sentences(log_page(alfa))
    assert len(first) == 50
    assert first[0] == "Aanbod 7 is verlopen."
    assert first[1] == "Noaber gaf 120 punten uit de solidariteitspot."
    page_three = log_page(alfa, "?pagina=3")
    assert "Pagina 3 van 3" in page_three and len(sentences(page_three)) == 21
    points_only = sentences(log_page(alfa, "?soort=punten"))
    assert "Aanbod 7 is verlopen." not in points_only and len(points_only) == 50
    # The link to the next page keeps the subject.
    assert 'href="?pagina=2&soort=punten"' in log_page(alfa, "?soort=punten")


def test_only_the_board_and_audit_committee_read_it_and_only_their_own(alfa, beta):
    with schema_context(alfa.schema):
        audit_record(actor_id=None, action="offer.expire", target_type="x", target_id=99)
    plain = MemberFactory(schema=alfa.schema, name="Gewoon Lid")
    assert logged_in_client(alfa, member=plain).get("/logboek/").status_code == 403
    assert client_for(alfa.host).get("/logboek/").status_code == 302
    assert "Aanbod 99 is verlopen." not in sentences(log_page(beta))


def _logged_actions() -> set[str]:
    """Every action name the code passes to audit_record (as a literal or a module constant)."""
    actions: set[str] = set()
    for folder in ("billing", "cooperatives", "shared", "tenants"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            constants = dict(re.findall(r'^([A-Z_]+) = "([a-z_]+\.[a-z_]+)"', text, re.M))
            for call in re.finditer(r"audit_record\((.*?)\n\s*\)", text, re.S):
                expression = re.search(r"action=(.*?),\n", call.group(1), re.S)
                if expression is None:
                    continue
                actions.update(re.findall(r'"([a-z_]+\.[a-z_]+)"', expression.group(1)))
                actions.update(
                    constants[name]
                    for name in re.findall(r"\b([A-Z_]+)\b", expression.group(1))
                    if name in constants
                )
    return actions


def test_every_action_the_code_logs_has_a_sentence():
    logged = _logged_actions()
    assert {"rulebook.revise", "klus.waive_mailed", "request.create_on_behalf"} <= logged
    assert logged - audit_sentence_actions() == set()


@pytest.mark.parametrize("action", sorted(audit_sentence_actions()))
def test_each_sentence_reads_even_an_entry_with_little_in_it(alfa, action):
    """A sentence never fails on an old or sparse entry: no changes, no summary, no actor."""
    with schema_context(alfa.schema):
        audit_record(actor_id=None, action=action, target_type="x.y", target_id=5)
        [line] = audit_lines(entries=audit_list().filter(action=action))
    assert line.sentence and action not in line.sentence
