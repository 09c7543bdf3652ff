"""URLs of the money's spending part (merged in ``finance.urls``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
