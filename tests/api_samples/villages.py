"""The village writes (api/endpoints/villages.py, routed from the org-unit module): Ba Trang and
its villages; each body is valid for the commune officer (no deciding act needed)."""

from tests.api_samples import ApiSample


def _commune(d: dict) -> dict:
    return {"pk": d["ba_trang"].pk}


def _nuoc_dang(d: dict) -> dict:
    return {"pk": d["villages"]["Nước Đang"].pk}


def _merge(d: dict) -> dict:
    pair = [d["villages"]["Bùi Hui"].pk, d["villages"]["Kon Riêng"].pk]
    return {"villages": pair, "name": "Bùi Hui Kon Riêng", "effective_on": "2024-01-01"}


SAMPLES = {
    "api:village_create": ApiSample(
        _commune, "commune_officer", writer="commune_officer", body=lambda d: {"name": "Làng Mẫu"}
    ),
    "api:village_mark_difficult": ApiSample(
        _nuoc_dang,
        "commune_officer",
        writer="commune_officer",
        body=lambda d: {"valid_from": "2021-09-16"},
    ),
    "api:village_rename": ApiSample(
        _nuoc_dang,
        "commune_officer",
        writer="commune_officer",
        body=lambda d: {"name": "Nước Đang Mới", "effective_on": "2024-01-01"},
    ),
    "api:village_split": ApiSample(
        _nuoc_dang,
        "commune_officer",
        writer="commune_officer",
        body=lambda d: {"names": ["Nước Đang 1", "Nước Đang 2"], "effective_on": "2024-01-01"},
    ),
    "api:villages_merge": ApiSample(
        _commune, "commune_officer", writer="commune_officer", body=_merge
    ),
}
