"""Endpoints of the programs area (issue 16): being written."""

urlpatterns: list = []
