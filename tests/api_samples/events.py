from tests.api_samples import ApiSample  # noqa: F401

SAMPLES: dict = {}
