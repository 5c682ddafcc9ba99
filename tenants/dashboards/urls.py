"""Pages of this feature: on the apex (``urlpatterns``) and on a cooperative's subdomain
(``cooperative_urlpatterns``)."""

urlpatterns: list = []
cooperative_urlpatterns: list = []
