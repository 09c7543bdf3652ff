"""Endpoints of the events area (issue 16): being written."""

urlpatterns: list = []
