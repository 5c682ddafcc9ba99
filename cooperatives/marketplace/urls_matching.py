"""Pages and API of this part of the marketplace (see cooperatives/marketplace/urls.py)."""

urlpatterns: list = []
api_urlpatterns: list = []
