"""The Noaber Django project: settings, URL confs, WSGI/ASGI, Celery app and Sentry set-up.

It lives in ``platform/noaber`` and never as a package called ``platform``: that name belongs to
the standard library module which Django, Celery, Stripe and sentry-sdk import.
"""

from noaber.celery import app as celery_app

__all__ = ["celery_app"]
