"""Endpoints of the community area (issue 16): being written."""

urlpatterns: list = []
