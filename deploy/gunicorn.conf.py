"""gunicorn settings of duan8 (``gunicorn --config deploy/gunicorn.conf.py duan8.wsgi``).

Read by deploy/systemd/duan8-web.service; every value can be changed through the environment
(/etc/duan8/env) without editing this file. Checked by tests/test_deploy_files.py.
"""

import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Loopback only: nothing reaches gunicorn without passing nginx (docs/deploy.md, section 7), which
# is what makes TRUSTED_PROXY_COUNT=1 safe. 8001, so that `make run` (8000) can run beside it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")

# Threaded workers (gthread): one process per core plus one, at least 2 (one slow request, a PDF
# or a large upload, never stops the site), 4 threads each; the application keeps no state
# between requests and each thread keeps its own database connection (CONN_MAX_AGE). Chosen by
# measurement (bench/README.md, "Load (issue 18)"; bench/load/run.sh, 50 users without pauses,
# 2 minutes each, PostgreSQL on the same 2-core machine, load average 14-23 from other work):
#
#   model            page mix: req/s, p50, CPU/request   event form GET+POST    API POST
#   sync 5           4.2/s, 12 s, 86 ms                  3.5/s, 48 ms/request   8.7/s, 46 ms
#   gthread 3 x 4    8.3/s, 4.5 s, 78 ms                 6.6/s, 43 ms/request   13.4/s, 41 ms
#   gthread 5 x 2    2.7/s, 20 s, 94 ms                  -                      -
#   sync 3           2.5/s, 21 s, 89 ms                  -                      -
#
# (CPU/request: gunicorn's and PostgreSQL's CPU seconds over the requests, the figure the other
# work changes least.) Fewer processes, each overlapping one thread's database waits with another
# thread's Python, did about 1.5-2x the requests of sync workers for 10-15% less CPU each.
workers = max(2, _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 4)

# A request still running after this many seconds is killed (its transaction rolls back). nginx
# waits a little longer (proxy_read_timeout in deploy/nginx/duan8.conf) so that the user sees
# gunicorn's 500, not nginx's 504.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Restart each worker after about 1,000 requests, not all at once (jitter), so that a slow leak in
# a library never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)


def post_worker_init(worker: Any) -> None:
    """Import every view (the URLconf) before the worker takes its first request.

    Django imports the views on the first request that resolves a URL: 1.3–3.5 s on the 2-core
    machine of bench/README.md ("Load (issue 18)"), paid by one user after every start and every
    recycle (max_requests). Here it is paid before the worker accepts; the first request then
    takes 0.17 s instead of 4.2 s. Not preload_app: with it a reload (HUP) would keep the old code.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — importing is the point


# X-Forwarded-Proto is trusted from nginx on the same machine only (Django reads it through
# SECURE_PROXY_SSL_HEADER; the client address through TRUSTED_PROXY_COUNT, core/client_ip.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs go to the journal (stderr). The application writes one access line per request itself,
# in its own format (LOG_FORMAT=text or json, with the request id: duan8/core/request_id.py), so
# gunicorn's access log is off; GUNICORN_ACCESS_LOG=- turns it on in the same text layout.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = "%(t)s INFO gunicorn.access [%({x-request-id}o)s] %(m)s %(U)s %(s)s %(M)sms"
capture_output = True
proc_name = "duan8"
