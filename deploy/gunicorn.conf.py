"""gunicorn settings of duan8 (``gunicorn --config deploy/gunicorn.conf.py duan8.wsgi``).

Read by deploy/systemd/duan8-web.service; every value can be changed through the environment
(/etc/duan8/env) without editing this file. Checked by tests/test_deploy_files.py.
"""

import gc
import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Loopback only: nothing reaches gunicorn without passing nginx (docs/deploy.md, section 7), which
# is what makes TRUSTED_PROXY_COUNT=1 safe. 8001, so that `make run` (8000) can run beside it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")

# Threaded workers (gthread): one process per core, at least 2 (one slow request, a PDF or a
# large upload, never stops the site), 2 threads each; the application keeps no state between
# requests and each thread keeps its own database connection (CONN_MAX_AGE). Chosen by
# measurement (bench/README.md, "Load (issue 18)"; bench/load/run.sh, 50 users, PostgreSQL on the
# same 2-core machine, Locust beside it, nothing else running):
#
#   model            10 min, 5 s pauses: p95, p50    closed loop 2 min: req/s, CPU/request
#   gthread 3 x 4    350 ms, 83 ms                    29.2/s, 64.5 ms    (session 10)
#   gthread 6 x 2    270 ms, 76 ms                    33.3/s, 56.7 ms    (session 10)
#   gthread 6 x 2    150 ms, 49 ms                    32.6/s, 57.2 ms    (session 11)
#   gthread 4 x 2    160 ms, 52 ms                    35.6/s, 52.4 ms    (session 11)
#   gthread 4 x 2                                     95.7-99.6/s, 19.0-19.7 ms (session 16)
#   gthread 2 x 2    48 ms, 20 ms                     102.9-105.9/s, 17.4-17.8 ms (session 16)
#
# Session 16, each run on a fresh database: with a request down to about 18 ms of CPU, eight
# threads in four processes on two cores cost more in switching between them (19.4 ms a request
# against 17.4) than they gained; two processes of two threads, one per core, still overlap one
# request's database waits with another's Python (2 x 1 and 3 x 1 gave the same: 105.2/s,
# 104.9/s). Session 11 had found four processes better than six for the same reason (fewer
# processes contending for two cores). A thread runs Python only while its process holds the
# interpreter lock: with 4 threads a process, two heavy pages arriving together ran one after the
# other on one core while the other core waited (session 10's 3 x 4); with more processes than
# cores, they wait for the cores instead. Threads still overlap one request's database waits with
# another's Python, which sync workers did not (under heavy load in session 8: sync 5, 4.2/s;
# gthread 3 x 4, 8.3/s).
workers = max(2, _int("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 2)

# A request still running after this many seconds is killed (its transaction rolls back). nginx
# waits a little longer (proxy_read_timeout in deploy/nginx/duan8.conf) so that the user sees
# gunicorn's 500, not nginx's 504.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Restart each worker after about 20,000 requests, not all at once (jitter), so that a slow leak
# in a library never grows without bound. Not sooner: a worker's start costs 2.1 s of CPU
# (Django and every view imported), which after 1,000 requests, as before, was 2 ms a request,
# a tenth of an event sent through the API; a worker's memory grows little (bench/README.md,
# "Session 12").
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 2000)

# New objects between two collections of the garbage collector's youngest generation (Python's
# default: 700); set in each worker (post_worker_init).
GC_YOUNG = _int("GUNICORN_GC_YOUNG", 10000)


def post_worker_init(worker: Any) -> None:
    """Import every view (the URLconf) before the worker takes its first request.

    Django imports the views on the first request that resolves a URL: 1.3–3.5 s on the 2-core
    machine of bench/README.md ("Load (issue 18)"), paid by one user after every start and every
    recycle (max_requests). Here it is paid before the worker accepts; the first request then
    takes 0.17 s instead of 4.2 s. Not preload_app: with it a reload (HUP) would keep the old code.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — importing is the point
    # The garbage collector's youngest generation collected every 10,000 new objects, not 700:
    # a request builds tens of thousands (querysets, model instances, serializer fields), and
    # the default collected about 30 times an API submission, older generations with them: 1.6 ms
    # a request against 0.9 ms (bench/README.md, "Session 12"). What is garbage is still freed.
    gc.set_threshold(GC_YOUNG, 10, 10)


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
