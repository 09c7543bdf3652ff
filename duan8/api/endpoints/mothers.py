"""Endpoints of the mothers area (issue 16): being written."""

urlpatterns: list = []
