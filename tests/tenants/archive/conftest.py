"""What the whole-cooperative archive's tests share: files in the test's own folder, and alfa
filled with one item of many kinds (members with roles, buurten, rules, a paid klus with its
service and payment, points, audit entries), beta with its own."""

from __future__ import annotations

import pytest

from tests.factories import MemberFactory, klussen_in_both, member_cast


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(alfa, beta):
    cast = member_cast(alfa, beta)
    klussen_in_both(alfa, beta)
    MemberFactory(schema=alfa.schema, name="Saar Spaarder", points=10)
    return cast
