"""Reading the shipped template files (``data/templates/*.json``) into ``DocumentTemplate`` rows.

File format ``duan8.document_template/1``: ``key``, ``name``, ``document_type``, ``notes`` (lines),
``layout``, ``agency``, ``texts``, ``recipients`` (lines), ``signature``, ``checks``. The data
migration and ``duan8 load_document_templates`` use it; a template already in the database is
left as the administrator edited it unless ``replace`` is asked for.
"""

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import AfterValidator

from duan8.core.problems import problems_of
from duan8.core.schemas import FileInvalid, FileSchema, Name, fits, load, read_json
from duan8.documents.models import DocumentTemplate

TEMPLATE_DIR = Path(__file__).resolve().parent / "data" / "templates"
FORMAT: Literal["duan8.document_template/1"] = "duan8.document_template/1"
SETTINGS = ("layout", "agency", "texts", "signature", "checks")  # JSON, stored as written


def document_template_files() -> list[Path]:
    return sorted(TEMPLATE_DIR.glob("*.json"))


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(_("not a valid regular expression: %(error)s") % {"error": exc}) from exc
    return value


Pattern = Annotated[str, AfterValidator(_regex)]


class NameRule(FileSchema):
    """An issuing body matching ``pattern`` is written on these ``lines`` ({rest}: the match)."""

    pattern: Pattern
    lines: list[str]


class AgencyRules(FileSchema):
    parent_line: bool = False
    names: list[NameRule] = []


class CollectiveBody(FileSchema):
    pattern: Pattern
    authority: str
    titles: list[list[str]]


class SignatureRules(FileSchema):
    default: list[str] = []
    collective_bodies: list[CollectiveBody] = []


class CheckSettings(FileSchema):
    canonical_names: list[str] = []
    wrong_level_phrases: list[str] = []
    archive_line: Pattern | None = None


class TemplateFile(FileSchema):
    """A template file. ``layout`` is checked by the model (``docx_builder.Layout``), as an
    administrator's edit is; ``texts`` must hold the texts every document needs."""

    format: Literal["duan8.document_template/1"]
    key: Annotated[Name, fits(DocumentTemplate, "key")]
    name: Annotated[Name, fits(DocumentTemplate, "name")]
    document_type: Annotated[Name, fits(DocumentTemplate, "document_type")]
    notes: list[str] = []
    layout: dict[str, Any] = {}
    agency: AgencyRules | None = None
    texts: dict[str, str] = {}
    recipients: list[str] = []
    signature: SignatureRules | None = None
    checks: CheckSettings | None = None


def document_template_read(path: Path) -> DocumentTemplate:
    """The template of a file as an unsaved row; ``FileInvalid`` names what is wrong and where.
    The settings are stored as the file writes them."""
    data = read_json(path)
    file = load(TemplateFile, data, source=path.name)
    template = DocumentTemplate(
        key=file.key,
        name=file.name,
        document_type=file.document_type,
        notes="\n".join(file.notes),
        recipients="\n".join(file.recipients),
        **{name: data.get(name) or {} for name in SETTINGS},
    )
    try:
        template.full_clean(exclude=["created_at", "updated_at"], validate_unique=False)
    except ValidationError as exc:
        raise FileInvalid(problems_of(exc), source=path.name) from exc
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
