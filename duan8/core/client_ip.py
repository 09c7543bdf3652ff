"""The address of the client that sent a request, for throttling sign-ins and the audit trail.

Without a proxy (``TRUSTED_PROXY_COUNT = 0``, the default) it is ``REMOTE_ADDR``; any
X-Forwarded-For header is ignored, since a client can write what it likes there.

Behind N trusted reverse proxies that each append the address they saw to X-Forwarded-For
(nginx: ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``), the chain reads
``<whatever the client sent>, <client>, <proxy 1>, …`` and REMOTE_ADDR is the last proxy. The
client is the right-most address the proxies did not add: the N-th from the right of the header.
Anything further left was written by the client and is never believed.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in forwarded if a] + [remote or ""]
    # chain[-1] is the last proxy (REMOTE_ADDR), chain[-proxies] the first one; the client is the
    # address before it. A shorter chain (a request that bypassed a proxy) has nothing forged in
    # it, so its first address is the furthest one known.
    candidate = chain[max(0, len(chain) - proxies - 1)]
    return _valid(candidate) or remote
