"""Reading the shipped template files (``data/templates/*.json``) into ``DocumentTemplate`` rows.

File format ``duan8.document_template/1``: ``key``, ``name``, ``document_type``, ``notes`` (lines),
``layout``, ``agency``, ``texts``, ``recipients`` (lines), ``signature``, ``checks``. The data
migration and ``duan8 load_document_templates`` use it; a template already in the database is
left as the administrator edited it unless ``replace`` is asked for.
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.documents.models import DocumentTemplate

TEMPLATE_DIR = Path(__file__).resolve().parent / "data" / "templates"
FORMAT = "duan8.document_template/1"
FILE_KEYS = {"format", "key", "name", "document_type", "notes", "layout", "agency", "texts"}
FILE_KEYS |= {"recipients", "signature", "checks"}


def document_template_files() -> list[Path]:
    return sorted(TEMPLATE_DIR.glob("*.json"))


def document_template_read(path: Path) -> DocumentTemplate:
    """The template of a file as an unsaved row; a ValidationError names what is wrong."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(
            _("%(file)s: not a readable JSON file (%(error)s).") % {"file": path.name, "error": exc}
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(
            _("%(file)s: expected a %(format)s object.") % {"file": path.name, "format": FORMAT}
        )
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise ValidationError(
            _("%(file)s: unknown keys %(keys)s.")
            % {"file": path.name, "keys": ", ".join(sorted(unknown))}
        )
    template = DocumentTemplate(
        key=data.get("key", ""),
        name=data.get("name", ""),
        document_type=data.get("document_type", ""),
        notes="\n".join(data.get("notes") or []),
        layout=data.get("layout") or {},
        agency=data.get("agency") or {},
        texts=data.get("texts") or {},
        recipients="\n".join(data.get("recipients") or []),
        signature=data.get("signature") or {},
        checks=data.get("checks") or {},
    )
    try:
        template.full_clean(exclude=["created_at", "updated_at"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError([f"{path.name}: {message}" for message in exc.messages]) from exc
    return template


def document_template_shipped(key: str) -> DocumentTemplate | None:
    for path in document_template_files():
        template = document_template_read(path)
        if template.key == key:
            return template
    return None


@transaction.atomic
def document_templates_load(*, replace: bool = False) -> list[tuple[str, str]]:
    """Load every shipped template; returns (key, "created" | "replaced" | "kept")."""
    done = []
    for path in document_template_files():
        template = document_template_read(path)
        existing = DocumentTemplate.objects.filter(key=template.key).first()
        if existing is None:
            template.save()
            done.append((template.key, "created"))
        elif replace:
            template.pk, template.created_at = existing.pk, existing.created_at
            template.save()
            done.append((template.key, "replaced"))
        else:
            done.append((template.key, "kept"))
    return done
