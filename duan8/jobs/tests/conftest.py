import pytest

from duan8.jobs.tests.kind_names import KINDS


@pytest.fixture
def test_kinds(settings):
    settings.JOB_KINDS = {**settings.JOB_KINDS, **KINDS}
