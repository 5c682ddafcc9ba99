"""Pages and API of the points ledger."""

urlpatterns: list = []
api_urlpatterns: list = []
