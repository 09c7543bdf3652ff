from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duan8.documents.models import DocumentTemplate


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """Administrators adjust agency names, recipients, standard texts and layout here."""

    list_display = ["key", "name", "document_type", "updated_at"]
    search_fields = ["key", "name"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["key", "name", "document_type", "notes"]}),
        (_("Texts"), {"fields": ["agency", "texts", "recipients", "signature"]}),
        (_("Layout and checks"), {"fields": ["layout", "checks", "created_at", "updated_at"]}),
    ]
