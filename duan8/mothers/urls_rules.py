"""URLs of the registry's rules part (merged in mothers.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
