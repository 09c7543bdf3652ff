"""Endpoints of the reports area (issue 16): being written."""

urlpatterns: list = []
