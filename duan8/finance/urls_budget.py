"""URLs of the money's budget part (merged in ``finance.urls``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
