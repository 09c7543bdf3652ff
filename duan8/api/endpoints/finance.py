"""Endpoints of the finance area (issue 16): being written."""

urlpatterns: list = []
