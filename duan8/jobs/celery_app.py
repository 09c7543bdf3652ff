"""The Celery application: configured from Django's settings (``CELERY_*``, duan8/settings.py).

Worker:  celery -A duan8.jobs.celery_app worker --loglevel=INFO
Beat:    celery -A duan8.jobs.celery_app beat (the reminders; ``CELERY_BEAT_SCHEDULE``)

Without ``TASK_BROKER_URL`` the broker is kombu's filesystem transport in ``TASK_QUEUE_DIR``
(``make run`` starts a worker on it); production names Redis or RabbitMQ (docs/deploy.md).
"""

import os
from pathlib import Path
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duan8.settings")

app = Celery("duan8", include=["duan8.jobs.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_after_configure.connect
def _queue_folders(sender: Any, **kwargs: Any) -> None:
    """The filesystem transport's folders must exist before a message is written or read."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
