"""Every API endpoint, for every role: the API asks the same access function as the pages.

The walk lists every URL of the ``api`` namespace; each needs a sample (tests/api_samples/) or is
public (the schema and its documentation page, which hold no data). For each endpoint:
- its owner reads it (200);
- a user of another commune and the head of another village get 403/404, or an empty list, and
  none of Ba Trang's words; their writes are refused and change nothing;
- read-only roles (by default the Fatherland Front, the commune's leader, the district's reviewer;
  a sample names its own) writing with read-and-write tokens are refused and change nothing;
  a read-only token writing is refused;
- an anonymous caller gets 401 for every method.
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from duan8.api.models import ApiToken
from tests.api_samples import all_samples
from tests.test_access_matrix import MARKERS, _fingerprint

PUBLIC = {"api:schema", "api:docs"}
SAMPLES = all_samples()
WRITES = ("post", "put", "patch", "delete")


def _names(patterns, namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            prefix = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _names(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name and namespace == "api":
            yield f"api:{entry.name}"


API_NAMES = sorted(set(_names(get_resolver().url_patterns)))
GUARDED = [name for name in API_NAMES if name in SAMPLES]


def _writes(url: str) -> list[str]:
    view = resolve(url.split("?", 1)[0]).func.cls  # type: ignore[attr-defined]
    return [method for method in WRITES if hasattr(view, method)]


def _send(client, method: str, url: str, body: dict):
    return getattr(client, method)(
        url,
        body,
        format="json",
        headers={"Idempotency-Key": uuid.uuid4().hex, "If-Match": '"1"'},
    )


def _url(name: str, world: dict) -> str:
    sample = SAMPLES[name]
    url = reverse(name, kwargs=sample.kwargs(world))
    return f"{url}?{sample.query}" if sample.query else url


def test_every_api_url_has_a_sample_or_is_public():
    assert API_NAMES, "no API URL found"
    missing = [name for name in API_NAMES if name not in PUBLIC and name not in SAMPLES]

    assert not missing, f"API URLs without a sample in tests/api_samples/: {missing}"


@pytest.mark.parametrize("name", GUARDED)
def test_the_owner_reads_the_endpoint(api, world, name):
    client = api(world["personas"][SAMPLES[name].owner])

    response = client.get(_url(name, world))

    assert response.status_code in (200, 405), (response.status_code, response.content[:300])


@pytest.mark.parametrize("outsider", list(MARKERS))
@pytest.mark.parametrize("name", GUARDED)
def test_an_outsider_reads_nothing_and_writes_nothing(api, world, name, outsider):
    sample = SAMPLES[name]
    url = _url(name, world)
    client = api(world["personas"][outsider])
    before = _fingerprint()

    got = client.get(url)
    written = [_send(client, method, url, sample.body(world)) for method in _writes(url)]

    body = got.content.decode() + "".join(r.content.decode() for r in written)
    if sample.lists_data:
        assert got.status_code == 200, got.status_code
    else:
        assert got.status_code in (403, 404, 405), got.status_code
    assert all(r.status_code in (403, 404, 405) for r in written), [
        (r.status_code, r.content[:200]) for r in written
    ]
    assert not [m for m in MARKERS[outsider] if m in body]
    assert _fingerprint() == before


@pytest.mark.parametrize(
    ("name", "reader"),
    [(n, reader) for n in GUARDED if SAMPLES[n].writer for reader in SAMPLES[n].readers],
)
def test_read_only_roles_cannot_write(api, world, name, reader):
    sample = SAMPLES[name]
    url = _url(name, world)
    client = api(world["personas"][reader])
    before = _fingerprint()

    written = [_send(client, method, url, sample.body(world)) for method in _writes(url)]

    assert all(r.status_code in (403, 404, 405) for r in written), [
        (reader, r.status_code, r.content[:200]) for r in written
    ]
    assert _fingerprint() == before


@pytest.mark.parametrize("name", [n for n in GUARDED if SAMPLES[n].writer])
def test_a_read_only_token_cannot_write(api, world, name):
    sample = SAMPLES[name]
    url = _url(name, world)
    client = api(world["personas"][sample.writer], read_only=True)
    before = _fingerprint()

    written = [_send(client, method, url, sample.body(world)) for method in _writes(url)]

    assert written and all(r.status_code == 403 for r in written), [
        (r.status_code, r.content[:200]) for r in written
    ]
    assert _fingerprint() == before


@pytest.mark.parametrize("name", GUARDED)
def test_anonymous_callers_get_401(client, world, name):
    url = _url(name, world)

    answers = [client.get(url)] + [
        _send(client, method, url, {}) for method in _writes(url) if method != "delete"
    ]

    assert {r.status_code for r in answers} == {401}


def test_the_tokens_used_are_in_the_audit_trail(api, world):
    from duan8.core.models import AuditEvent

    client = api(world["personas"]["commune_officer"])
    client.get(reverse("api:orgunit_list"))

    used = AuditEvent.objects.filter(action="api.token.used").get()
    assert used.via_token == client.token.prefix
    assert ApiToken.objects.get(pk=client.token.pk).last_used_at is not None
