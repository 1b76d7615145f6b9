"""The Celery app. Without REDIS_URL tasks run eagerly in the web process."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance87.settings")

app = Celery("alliance87")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_start_up_objects(**kwargs) -> None:
    """Render workers start with Django and WeasyPrint loaded; moving those objects out of the
    garbage collector's reach keeps each render from scanning them again."""
    import gc

    from weasyprint import HTML  # noqa: F401  loaded once per worker child, not per render

    gc.collect()
    gc.freeze()
