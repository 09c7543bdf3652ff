"""URLs of the registry's duplicates part (merged in mothers.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
