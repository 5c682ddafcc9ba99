"""The Celery app. Tasks are tenant-aware (tenant-schemas-celery): a task queued inside a
cooperative's schema runs in that schema. Without CELERY_BROKER_URL tasks run inline."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "noaber.settings")

app = CeleryApp("noaber")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
