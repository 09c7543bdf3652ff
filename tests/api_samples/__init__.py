"""Where each API endpoint points at Ba Trang's data, for the API access matrix
(tests/test_api_access_matrix.py). One module per area, each with its ``SAMPLES``; an endpoint
added without a sample fails ``test_every_api_url_has_a_sample``."""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

AREAS = [
    "orgunits",
    "programs",
    "community",
    "events",
    "reports",
    "finance",
    "mothers",
    "supervision",
    "villages",
]


@dataclass
class ApiSample:
    kwargs: Callable[[dict], dict]  # the URL's arguments, from the matrix's world
    owner: str  # a persona who may read it (proves the sample points at real data)
    lists_data: bool = False  # a list: outsiders get 200 and none of the data
    query: str = ""  # a query string for the owner's and the outsiders' GET
    body: Callable[[dict], dict] = field(default=lambda d: {"name": "Thôn Giả", "version": 1})
    # a persona who may write here (its POST/PUT/PATCH with ``body`` is not refused 403/404)
    writer: str = ""
    # roles that may read but must not write here; the Fatherland Front and the commune's leader
    # do write in supervision (sessions, answers), so its samples name their own
    readers: tuple[str, ...] = ("fatherland_front", "commune_leader", "district_reviewer")
    extra: dict[str, Any] = field(default_factory=dict)


def all_samples() -> dict[str, ApiSample]:
    found: dict[str, ApiSample] = {}
    for area in AREAS:
        found.update(import_module(f"tests.api_samples.{area}").SAMPLES)
    return found
