"""The service worker's script and the web app manifest, built from the static files' URLs.

The worker (``templates/offline/sw.js``) is served from the site's root (``/sw.js``) so that it
may control the entry page; it caches what the entry page needs (``PRECACHE``: the static files,
by their hashed names in production) and the two pages of the user (``PAGES``: the entry page and
its data), nothing else. Its ``VERSION`` is a hash of what it caches and of its own text: a new
deployment that changes a file changes the version, and the browser installs the new worker,
which drops the old cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

# The static files the entry page loads (its template names the same ones).
STATIC_FILES = [
    "css/duan8.css",
    "offline/offline.css",
    "offline/rules.js",
    "offline/store.js",
    "offline/app.js",
    "offline/signout.js",
    "offline/icon-192.png",
    "offline/icon-512.png",
]
TEMPLATE = Path(__file__).resolve().parent / "templates" / "offline" / "sw.js"


def precache_urls() -> list[str]:
    return [static(name) for name in STATIC_FILES]


def page_urls() -> list[str]:
    return [reverse("offline:entry"), reverse("offline:data")]


def _file_digest(name: str) -> bytes:
    found = finders.find(name)
    path = found if isinstance(found, str) else None
    return hashlib.sha256(Path(path).read_bytes()).digest() if path else name.encode()


def _version() -> str:
    digest = hashlib.sha256(TEMPLATE.read_bytes())
    for name in STATIC_FILES:
        digest.update(static(name).encode())
        digest.update(_file_digest(name))
    return digest.hexdigest()[:16]


@cache
def _version_cached() -> str:
    return _version()


def worker_script() -> str:
    """The worker's JavaScript: its template with the version and the URLs filled in."""
    version = _version() if settings.DEBUG else _version_cached()
    return (
        TEMPLATE.read_text(encoding="utf-8")
        .replace('"{{VERSION}}"', json.dumps(version))
        .replace('"{{PRECACHE}}"', json.dumps(precache_urls()))
        .replace('"{{PAGES}}"', json.dumps(page_urls()))
    )


def manifest() -> dict:
    """The web app manifest: the entry page added to a phone's home screen."""
    return {
        "name": _("Project 8 — entry without signal"),
        "short_name": _("Project 8"),
        "description": _("Record events and proposals where there is no signal."),
        "lang": "vi",
        "start_url": reverse("offline:entry"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#9c1b4e",
        "icons": [
            {"src": static("offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
