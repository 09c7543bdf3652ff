import pytest

from duan8.orgunits.models import OrgUnit
from duan8.orgunits.tests.factories import make_unit


@pytest.fixture
def ba_vinh(ba_to: OrgUnit) -> OrgUnit:
    """Ba Tơ's third commune, beside ba_trang and ba_kham."""
    return make_unit(code="21526", name="Ba Vinh", level=3, kind="Xã", parent=ba_to)
