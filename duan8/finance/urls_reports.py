"""URLs of the money's reports part (merged in ``finance.urls``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
