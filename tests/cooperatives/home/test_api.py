"""/api/v1/me/ answers about the logged-in member, within their own cooperative."""

from tests.clients import logged_in_client


def test_api_me_answers_within_the_own_cooperative(alfa, beta):
    data = logged_in_client(alfa).get("/api/v1/me/").json()
    assert data["email"] == alfa.board_email
    assert data["cooperative"] == alfa.cooperative.name
    data = logged_in_client(beta).get("/api/v1/me/").json()
    assert data["email"] == beta.board_email
