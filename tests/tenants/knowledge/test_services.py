"""Writes of the knowledge network: only a network's manager publishes, edits and withdraws;
a member cooperative's board suggests. A refusal writes nothing: no row, no file."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from shared.audit.models import AuditEntry
from tenants.knowledge import services
from tenants.knowledge.models import Document
from tests.factories import MemberFactory, membership_make, network_user


def board(coop) -> Member:
    with schema_context(coop.schema):
        return Member.objects.get(email=coop.board_email)


def count() -> int:
    with schema_context("public"):
        return Document.objects.count()


def publish(user, network, **fields):
    data = {"kind": "statutes", "title": "Modelstatuten", "summary": "", "tags": "statuten"}
    return services.document_publish(user=user, network=network, **{**data, **fields})


def test_a_manager_publishes_a_file_under_a_name_of_our_own(networks, upload, stored):
    manager = network_user(networks.samen030)
    document = publish(manager, networks.samen030, file=upload("../Model statuten.pdf"))
    assert document.status == Document.Status.PUBLISHED
    assert document.published_by == manager and document.published_at
    assert document.file_name == "Model statuten.pdf"
    assert document.file_type == "application/pdf"
    [path] = stored()
    assert path.parent.name == "samen030" and path.suffix == ".pdf"
    assert "statuten" not in path.name.lower()
    assert document.tags == ["statuten"]


def test_an_analyst_cannot_publish_and_nothing_is_written(networks, upload, stored):
    analyst = network_user(networks.samen030, "analyst")
    with pytest.raises(ValidationError) as refused:
        publish(analyst, networks.samen030, file=upload())
    assert refused.value.error_dict["__all__"][0].code == "forbidden"
    assert count() == 0 and stored() == []


def test_a_manager_of_another_network_cannot_publish_for_it(networks, upload, stored):
    rijnmond = network_user(networks.rijnmond)
    with pytest.raises(ValidationError):
        publish(rijnmond, networks.samen030, file=upload())
    assert count() == 0 and stored() == []


@pytest.mark.parametrize(
    ("fields", "with_file", "field", "code"),
    [
        ({"title": "  "}, True, "title", "required"),
        ({"kind": "recipe"}, True, "kind", "invalid"),
        ({"link": "javascript:alert(1)"}, False, "link", "invalid"),
        ({}, False, "file", "required"),
        ({"link": "https://samen030.nl/statuten"}, True, "link", "both"),
    ],
)
def test_bad_input_is_refused_and_no_file_is_left(
    networks, upload, stored, fields, with_file, field, code
):
    manager = network_user(networks.samen030)
    if with_file:
        fields = {**fields, "file": upload()}
    with pytest.raises(ValidationError) as refused:
        publish(manager, networks.samen030, **fields)
    assert refused.value.error_dict[field][0].code == code
    assert count() == 0 and stored() == []


def test_a_refused_file_writes_nothing(networks, upload, samples, stored):
    manager = network_user(networks.samen030)
    with pytest.raises(ValidationError) as refused:
        publish(manager, networks.samen030, file=upload("plan.pdf", samples.exe))
    assert refused.value.error_dict["file"][0].code == "file_content"
    assert count() == 0 and stored() == []


def test_a_file_stored_for_a_write_that_fails_is_removed(networks, upload, stored, monkeypatch):
    manager = network_user(networks.samen030)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Document, "save", broken)
    with pytest.raises(RuntimeError):
        publish(manager, networks.samen030, file=upload())
    assert stored() == []


def test_a_link_is_a_document_too(networks, stored):
    manager = network_user(networks.samen030)
    document = publish(
        manager, networks.samen030, kind="subsidy", link="https://www.rvo.nl/subsidies"
    )
    assert document.link == "https://www.rvo.nl/subsidies" and not document.file
    assert stored() == []


def test_the_contributing_cooperative_must_be_seen_by_the_network(alfa, beta, networks, upload):
    membership_make(networks.samen030, alfa.cooperative)
    manager = network_user(networks.samen030)
    document = publish(manager, networks.samen030, file=upload(), cooperative=alfa.cooperative)
    assert document.cooperative == alfa.cooperative
    with pytest.raises(ValidationError) as refused:
        publish(manager, networks.samen030, file=upload(), cooperative=beta.cooperative)
    assert refused.value.error_dict["cooperative"][0].code == "not_member"
    assert count() == 1


def test_replacing_the_file_removes_the_old_one_after_commit(
    networks, upload, samples, stored, django_capture_on_commit_callbacks
):
    manager = network_user(networks.samen030)
    document = publish(manager, networks.samen030, file=upload())
    [old] = stored()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_update(
            user=manager,
            network=networks.samen030,
            document=document,
            kind="image",
            title="Foto van de buurtkamer",
            file=upload("buurtkamer.png", samples.png),
        )
    [new] = stored()
    assert new != old and new.suffix == ".png"
    document.refresh_from_db()
    assert document.file_name == "buurtkamer.png" and document.kind == "image"


def test_withdrawing_removes_the_file_and_hides_the_document(
    networks, upload, stored, django_capture_on_commit_callbacks
):
    manager = network_user(networks.samen030)
    document = publish(manager, networks.samen030, file=upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.document_withdraw(user=manager, network=networks.samen030, document=document)
    document.refresh_from_db()
    assert document.status == Document.Status.WITHDRAWN and not document.file
    assert stored() == []
    with pytest.raises(ValidationError):
        services.document_withdraw(user=manager, network=networks.samen030, document=document)


def test_a_manager_cannot_touch_another_networks_document(networks, upload):
    document = publish(network_user(networks.samen030), networks.samen030, file=upload())
    rijnmond = network_user(networks.rijnmond)
    with pytest.raises(ValidationError):
        services.document_withdraw(user=rijnmond, network=networks.rijnmond, document=document)
    document.refresh_from_db()
    assert document.status == Document.Status.PUBLISHED


# --- a board's suggestion -----------------------------------------------------------------------


def suggest(coop, actor, network, **fields):
    data = {
        "kind": "project_plan",
        "title": "Projectplan buurtkamer",
        "summary": "Zo deden wij het",
    }
    with schema_context(coop.schema):
        return services.document_suggest(
            actor=actor, cooperative=coop.cooperative, network=network, **{**data, **fields}
        )


def test_a_board_suggests_to_its_network_and_the_manager_publishes(alfa, beta, networks, upload):
    membership_make(networks.samen030, alfa.cooperative)
    document = suggest(alfa, board(alfa), networks.samen030, file=upload("plan.pdf"))
    assert document.status == Document.Status.SUGGESTED and document.published_by is None
    assert document.cooperative == alfa.cooperative and document.suggested_at
    with schema_context(alfa.schema):
        entry = AuditEntry.objects.get(action="document.suggest")
    assert entry.changes["network"] == [None, "SAMEN030"]
    with schema_context(beta.schema):
        assert not AuditEntry.objects.filter(action="document.suggest").exists()
    manager = network_user(networks.samen030)
    services.document_suggestion_publish(user=manager, network=networks.samen030, document=document)
    document.refresh_from_db()
    assert document.status == Document.Status.PUBLISHED and document.published_by == manager


def test_a_board_cannot_suggest_to_a_network_it_is_not_in(alfa, beta, networks, upload, stored):
    membership_make(networks.samen030, alfa.cooperative)
    # 500WIJK sees alfa through SAMEN030, but alfa is not itself a member of it.
    for network in (networks.rijnmond, networks.wijk500):
        with pytest.raises(ValidationError) as refused:
            suggest(alfa, board(alfa), network, file=upload())
        assert refused.value.error_dict["network"][0].code == "not_member"
    assert count() == 0 and stored() == []


def test_a_coordinator_cannot_suggest(alfa, beta, networks, upload, stored):
    membership_make(networks.samen030, alfa.cooperative)
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    with pytest.raises(ValidationError) as refused:
        suggest(alfa, coordinator, networks.samen030, file=upload())
    assert refused.value.error_dict["__all__"][0].code == "forbidden"
    assert count() == 0 and stored() == []
    with schema_context(alfa.schema):
        assert not AuditEntry.objects.filter(action="document.suggest").exists()


def test_declining_a_suggestion_removes_its_file(
    alfa, beta, networks, upload, stored, django_capture_on_commit_callbacks
):
    membership_make(networks.samen030, alfa.cooperative)
    document = suggest(alfa, board(alfa), networks.samen030, file=upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.document_withdraw(
            user=network_user(networks.samen030), network=networks.samen030, document=document
        )
    document.refresh_from_db()
    assert document.status == Document.Status.DECLINED and stored() == []
