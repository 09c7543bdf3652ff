"""Files attached to an event or a group: photos, video, PDF and Office documents, recognised by
their first bytes and limited in size.
"""

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import Attachment, CommunityGroup, Event
from duan8.activities.services.shared import EDIT, choice_in, refuse, require_unlocked
from duan8.core import audit
from duan8.core.problems import WHOLE, Invalid, Problem
from duan8.orgunits.access import require_permission

# Accepted files, recognised by their first bytes (never by the name alone).
_SIGNATURES: list[tuple[bytes, int, str, str, set[str]]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", Attachment.Kind.PHOTO, {".jpg", ".jpeg"}),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", Attachment.Kind.PHOTO, {".png"}),
    (b"%PDF-", 0, "application/pdf", Attachment.Kind.DOCUMENT, {".pdf"}),
    (b"ftyp", 4, "video/mp4", Attachment.Kind.VIDEO, {".mp4", ".m4v", ".mov", ".3gp"}),
    (
        b"PK\x03\x04",
        0,
        "application/vnd.openxmlformats-officedocument",
        Attachment.Kind.DOCUMENT,
        {".docx", ".xlsx", ".pptx"},
    ),
]


_OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def attachment_type(head: bytes, name: str) -> tuple[str, str] | None:
    """(content type, default kind) when the file's bytes and its name agree; else None."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for magic, offset, content_type, kind, suffixes in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic and suffix in suffixes:
            return _OFFICE_TYPES.get(suffix, content_type), kind
    return None


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    upload: UploadedFile,
    kind: str = "",
    event: Event | None = None,
    group: CommunityGroup | None = None,
) -> Attachment:
    owner_unit = event.org_unit if event is not None else group.org_unit if group else None
    if owner_unit is None:
        raise Invalid([Problem(WHOLE, _("An attachment belongs to an event or a group."))])
    require_permission(actor, EDIT, owner_unit)
    name = upload.name or "file"
    size = upload.size or 0
    head = upload.read(16)
    upload.seek(0)
    detected = attachment_type(head, name)
    if detected is None:
        message = _(
            "File “%(name)s”: this type of file is not accepted. Accepted: photos (JPG, PNG), "
            "video (MP4), PDF, Word, Excel, PowerPoint."
        ) % {"name": name}
        raise Invalid([Problem("file", message, "type")])
    content_type, default_kind = detected
    limit = (
        settings.ATTACHMENT_MAX_VIDEO_BYTES
        if content_type.startswith("video/")
        else settings.ATTACHMENT_MAX_BYTES
    )
    if size > limit:
        message = _("File “%(name)s” is %(size)s; the limit is %(limit)s.") % {
            "name": name,
            "size": _size_text(size),
            "limit": _size_text(limit),
        }
        raise Invalid([Problem("file", message, "size")])
    if kind:
        refuse(choice_in(kind, Attachment.Kind.values, field="kind"))
    if event is not None:
        require_unlocked(event.org_unit, event.held_on)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        event=event,
        group=group,
        kind=kind or default_kind,
        original_name=name[:255],
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(f"{digest.hexdigest()[:16]}{_suffix(name)}", upload, save=False)
    attachment.save()
    audit.record(
        actor=actor,
        action="activities.attachment.added",
        target=attachment,
        org_unit=owner_unit,
        after={"name": name, "size": size, "type": content_type},
    )
    return attachment


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    owner = attachment.event or attachment.group
    if owner is None:
        raise Invalid([Problem(WHOLE, _("An attachment belongs to an event or a group."))])
    unit = owner.org_unit
    require_permission(actor, EDIT, unit)
    if attachment.event is not None:
        require_unlocked(unit, attachment.event.held_on)
    audit.record(
        actor=actor,
        action="activities.attachment.deleted",
        target=attachment,
        org_unit=unit,
        before={"name": attachment.original_name, "size": attachment.size},
    )
    attachment.file.delete(save=False)
    attachment.delete()
