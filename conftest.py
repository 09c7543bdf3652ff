# Shared fixtures for every test directory (duan8/*/tests and tests/): see duan8/testing.py.
pytest_plugins = ["duan8.testing", "duan8.testing_api"]
