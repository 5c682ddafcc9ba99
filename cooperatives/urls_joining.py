"""Pages and API of this area (see cooperatives/urls.py)."""

urlpatterns: list = []
api_urlpatterns: list = []
