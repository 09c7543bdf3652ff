from django.utils.translation import gettext as _

from duan8.documents.models import DocumentTemplate
from duan8.documents.templates_data import document_template_shipped


class TemplateMissing(LookupError):
    pass


def document_template_get(*, key: str) -> DocumentTemplate:
    """The template as the administrator left it; the shipped file if the row was removed."""
    template = DocumentTemplate.objects.filter(key=key).first() or document_template_shipped(key)
    if template is None:
        raise TemplateMissing(_("No document template “%(key)s”.") % {"key": key})
    return template
