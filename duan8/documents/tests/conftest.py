import pytest
from django.utils import translation


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "soffice: converts with LibreOffice (a few seconds; skipped without soffice)"
    )


@pytest.fixture
def english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
