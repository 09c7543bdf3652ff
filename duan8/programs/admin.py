"""Administrators correct the program structure here (Django admin: staff with the model's
permissions, or a superuser), above all the provisional 2026–2030 elements and their crosswalk
(``verified`` unticked) once the official texts are read. Every change is also written to the
audit trail."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from duan8.core.audit import record, snapshot
from duan8.programs.models import ElementCrosswalk, ProgramElement


class _Audited(admin.ModelAdmin):
    action = ""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record(
            actor=request.user, action=self.action, target=obj, before=before, after=snapshot(obj)
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        before = snapshot(obj)
        super().delete_model(request, obj)
        record(actor=request.user, action=self.action, target=obj, before=before)


@admin.register(ProgramElement)
class ProgramElementAdmin(_Audited):
    action = "programs.structure.changed"
    list_display = ["code", "kind", "number", "title", "start_year", "end_year", "verified"]
    list_filter = ["verified", "kind", "start_year"]
    search_fields = ["code", "title"]
    raw_id_fields = ["parent"]


@admin.register(ElementCrosswalk)
class ElementCrosswalkAdmin(_Audited):
    action = "programs.crosswalk.changed"
    list_display = ["from_element", "to_element", "verified"]
    list_filter = ["verified"]
    raw_id_fields = ["from_element", "to_element"]
