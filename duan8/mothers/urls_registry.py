"""URLs of the registry's registry part (merged in mothers.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
