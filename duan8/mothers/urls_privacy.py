"""URLs of the registry's privacy part (merged in mothers.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
