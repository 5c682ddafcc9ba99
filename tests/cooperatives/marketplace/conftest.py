"""Fixtures of the marketplace tests."""

import pytest

from tests.factories import marketplace_people


@pytest.fixture
def people(alfa, beta):
    return marketplace_people(alfa)
