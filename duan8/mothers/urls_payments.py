"""URLs of the registry's payments part (merged in mothers.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
