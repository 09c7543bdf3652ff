"""The map's source read by declared schemas: a release of vietnamadminunits whose data is not as
``geography`` relies on is refused, each difference located, and nothing is loaded."""

import json
import types

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from duan8.core.schemas import FileInvalid
from duan8.orgunits import geography_source
from duan8.orgunits.geography import geography_load
from duan8.orgunits.geography_source import source_read, source_version
from duan8.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

SCHEMES = [OrgUnit.CodeScheme.QD124_2004, OrgUnit.CodeScheme.QD19_2025]


@pytest.fixture
def broken_converter(monkeypatch):
    """The converter as shipped, but for an old province key given as a number and a divided
    commune's default flag given as text."""

    def loads(text: str):
        data = json.loads(text)
        data["DICT_PROVINCE"]["tinhquangngai"][1] = 62
        first = next(iter(data["DICT_PROVINCE_WARD_DIVIDED"]["tinhquangngai"].values()))
        first[0]["isDefaultNewWard"] = "yes"
        return data

    monkeypatch.setattr(geography_source, "json", types.SimpleNamespace(loads=loads))


def test_the_shipped_source_is_as_declared():
    source = source_read()

    assert len(source.converter.DICT_PROVINCE) == 34
    assert source.new[0].keys() == {
        "provinceCode",
        "province",
        "provinceKey",
        "wardCode",
        "ward",
        "wardType",
        "wardKey",
    }


def test_a_source_not_as_declared_is_refused_in_vietnamese_and_nothing_loaded(broken_converter):
    with translation.override("vi"), pytest.raises(FileInvalid) as caught:
        geography_load(province_codes=["51"])

    source = f"vietnamadminunits {source_version()}"
    lines = caught.value.lines()
    assert lines[0] == f"{source}: converter.DICT_PROVINCE.tinhquangngai.2: phải là văn bản"
    assert lines[1].startswith(f"{source}: converter.DICT_PROVINCE_WARD_DIVIDED.tinhquangngai.")
    assert lines[1].endswith(".1.isDefaultNewWard: phải là true hoặc false")
    assert len(lines) == 2
    assert not OrgUnit.objects.filter(code_scheme__in=SCHEMES).exists()


def test_the_command_prints_each_located_problem(broken_converter):
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("load_geography", "--province", "51")

    assert (
        str(caught.value)
        .splitlines()[0]
        .endswith("converter.DICT_PROVINCE.tinhquangngai.2: must be text")
    )
