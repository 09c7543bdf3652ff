"""Endpoints of the supervision area (issue 16): being written."""

urlpatterns: list = []
