"""Loaded for every test run (``-p duan8.jobs.pytest_plugin`` in pyproject.toml).

Jobs run through the real Celery task, in the test's process and transaction (``JOBS_EAGER``),
unless a test starts a real worker (``duan8/jobs/tests/``: with ``TASK_BROKER_URL`` set, through
the real broker). Set before Django reads its settings.
"""

import os

os.environ.setdefault("JOBS_EAGER", "1")
