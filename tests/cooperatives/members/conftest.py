"""Fixtures of the member tests: the same people for the pages and the API."""

import pytest

from tests.factories import member_cast


@pytest.fixture
def cast(alfa, beta):
    return member_cast(alfa, beta)
