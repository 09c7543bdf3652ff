"""Writing supervision: sessions (with their minutes), findings and recommendations, followed to
their answer. Every write checks its right here (``require_permission``) and is audited.

Rules: the supervisor (``supervision.record``) reads what it supervises and changes nothing in it
(evidence is only linked); the supervised (``supervision.answer`` in the responsible unit) answer
recommendations and cannot alter findings; a holder of both (the commune WU officer) may change
only the sessions she recorded herself.
"""

import datetime
import hashlib
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import (
    RECORDS_VIEW,
    SUPERVISION_ANSWER,
    SUPERVISION_RECORD,
)
from duan8.activities.models import CommunityGroup, Event
from duan8.activities.services.attachments import attachment_type
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import Invalid, Problem, Problems
from duan8.mothers.models import PaymentList
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement
from duan8.supervision.models import Finding, Session
from duan8.supervision.selectors import commune_of, payment_list_visible


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def require_supervisor(actor: User, session: Session) -> None:
    """Changing a session, its findings or recommendations: a supervisor of its unit, and not
    one of the supervised (a holder of ``supervision.answer``) unless she recorded it."""
    require_permission(actor, SUPERVISION_RECORD, session.org_unit)
    if (
        session.created_by_id != actor.pk
        and not actor.is_superuser
        and can(actor, SUPERVISION_ANSWER, session.org_unit)
    ):
        raise PermissionDenied(
            _("Only the supervisors who recorded this session may change it or its findings.")
        )


# --- sessions ----------------------------------------------------------------------------------


@dataclass
class SessionInput:
    body: str
    title: str
    subject: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    activity: ProgramElement | None = None
    event: Event | None = None
    payment_list: PaymentList | None = None
    policy: str = ""
    members: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)


def _session_problems(actor: User, unit: OrgUnit, data: SessionInput) -> Problems:
    problems = Problems()
    S = Session.Subject
    if data.body not in Session.Body.values:
        problems.add("body", _("Choose who supervises."))
    if not _text(data.title):
        problems.add("title", _("Give the session a title."), "required")
    if data.subject not in S.values:
        problems.add("subject", _("Choose what is supervised."))
    needs: dict[str, tuple[str, object, str]] = {
        S.ACTIVITY: ("activity", data.activity, _("Choose the plan activity supervised.")),
        S.EVENT: ("event", data.event, _("Choose the event supervised.")),
        S.PAYMENT_LIST: ("payment_list", data.payment_list, _("Choose the payment list.")),
        S.POLICY: ("policy", _text(data.policy), _("Say which policy is supervised.")),
    }
    if data.subject in needs and not needs[data.subject][1]:
        name, _value, message = needs[data.subject]
        problems.add(name, message, "required")
    commune = commune_of(unit)
    if data.event is not None and not _event_visible(actor, data.event, commune):
        problems.add("event", _("This event is not one you may read in this commune."))
    if data.payment_list is not None and (
        data.payment_list.commune_id != commune.pk
        or not payment_list_visible(actor, data.payment_list)
    ):
        problems.add("payment_list", _("This payment list is not one of this commune's."))
    unknown = [m for m in data.methods if m not in Session.Method.values]
    if unknown or not data.methods:
        problems.add("methods", _("Choose at least one method of supervision."))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        problems.add("ends_on", _("The end date is before the start date."))
    return problems


def _event_visible(actor: User, event: Event, commune: OrgUnit) -> bool:
    return event.org_unit.path.startswith(commune.path) and can(actor, RECORDS_VIEW, event.org_unit)


def _session_fields(session: Session, data: SessionInput) -> None:
    S = Session.Subject
    session.body = data.body
    session.title = _text(data.title)
    session.subject = data.subject
    session.activity = data.activity if data.subject == S.ACTIVITY else None
    session.event = data.event if data.subject == S.EVENT else None
    session.payment_list = data.payment_list if data.subject == S.PAYMENT_LIST else None
    session.policy = _text(data.policy)
    session.starts_on = data.starts_on
    session.ends_on = data.ends_on
    session.members = "\n".join(n for n in (_text(m) for m in data.members) if n)
    session.methods = [m for m in Session.Method.values if m in data.methods]


def _summary(session: Session) -> dict[str, object]:
    # members are counted, never named, in the trail (persons' names are personal data)
    return {
        "body": session.body,
        "title": session.title,
        "subject": session.subject,
        "starts_on": session.starts_on,
        "ends_on": session.ends_on,
        "members": len(session.member_list),
        "methods": list(session.methods),
    }


@transaction.atomic
def session_create(*, actor: User, unit: OrgUnit, data: SessionInput) -> Session:
    require_permission(actor, SUPERVISION_RECORD, unit)
    _session_problems(actor, unit, data).raise_if_any()
    session = Session(org_unit=unit, created_by=actor)
    _session_fields(session, data)
    session.save()
    audit.record(
        actor=actor,
        action="supervision.session.created",
        target=session,
        org_unit=unit,
        after=_summary(session),
    )
    return session


@transaction.atomic
def session_update(
    *, actor: User, session: Session, data: SessionInput, expected_version: int | None
) -> Session:
    require_supervisor(actor, session)
    _session_problems(actor, session.org_unit, data).raise_if_any()
    before = _summary(session)
    claim_version(session, expected_version)
    _session_fields(session, data)
    session.save()
    audit.record(
        actor=actor,
        action="supervision.session.updated",
        target=session,
        org_unit=session.org_unit,
        before=before,
        after=_summary(session),
        version=session.version,
    )
    return session


@transaction.atomic
def session_minutes_add(
    *, actor: User, session: Session, upload: UploadedFile, expected_version: int | None
) -> Session:
    """The minutes (PDF, Word, a photo): recognised by their first bytes, bounded in size. The
    session is held from then on."""
    require_supervisor(actor, session)
    name = upload.name or "file"
    size = upload.size or 0
    head = upload.read(16)
    upload.seek(0)
    detected = attachment_type(head, name)
    if detected is None or detected[0].startswith("video/"):
        message = _(
            "File “%(name)s”: this type of file is not accepted. Accepted: PDF, Word, photos "
            "(JPG, PNG)."
        ) % {"name": name}
        raise Invalid([Problem("file", message, "type")])
    if size > settings.ATTACHMENT_MAX_BYTES:
        message = _("File “%(name)s” is %(size)s MB; the limit is %(limit)s MB.") % {
            "name": name,
            "size": round(size / 1048576, 1),
            "limit": round(settings.ATTACHMENT_MAX_BYTES / 1048576, 1),
        }
        raise Invalid([Problem("file", message, "size")])
    claim_version(session, expected_version)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if session.minutes:
        session.minutes.delete(save=False)
    session.minutes.save(f"{digest.hexdigest()[:16]}{suffix}", upload, save=False)
    session.minutes_name = name[:255]
    session.minutes_type = detected[0]
    session.minutes_size = size
    session.minutes_sha256 = digest.hexdigest()
    session.status = Session.Status.HELD
    session.save()
    audit.record(
        actor=actor,
        action="supervision.session.minutes_added",
        target=session,
        org_unit=session.org_unit,
        after={"name": name, "size": size, "type": detected[0]},
        version=session.version,
    )
    return session


def session_minutes_open(*, actor: User, session: Session) -> Session:
    """Audited read of the minutes (the caller has already found the session visible)."""
    audit.record(
        actor=actor,
        action="supervision.session.minutes_viewed",
        target=session,
        org_unit=session.org_unit,
    )
    return session


# --- findings ----------------------------------------------------------------------------------


@dataclass
class FindingInput:
    topic: str
    text: str
    events: list[Event] = field(default_factory=list)
    groups: list[CommunityGroup] = field(default_factory=list)
    payment_lists: list[PaymentList] = field(default_factory=list)


def _finding_problems(actor: User, session: Session, data: FindingInput) -> Problems:
    problems = Problems()
    commune = commune_of(session.org_unit)
    if data.topic not in Finding.Topic.values:
        problems.add("topic", _("Choose the finding's topic."))
    if not _text(data.text):
        problems.add("text", _("Write the finding."), "required")
    for event in data.events:
        if not _event_visible(actor, event, commune):
            problems.add(
                "events",
                _("Event “%(title)s”: you may not read it, so it cannot be cited.")
                % {"title": event.title},
                "not_visible",
            )
    for group in data.groups:
        if not (
            group.org_unit.path.startswith(commune.path)
            and can(actor, RECORDS_VIEW, group.org_unit)
        ):
            problems.add(
                "groups",
                _("Group “%(name)s”: you may not read it, so it cannot be cited.")
                % {"name": group.name},
                "not_visible",
            )
    for payment_list in data.payment_lists:
        if payment_list.commune_id != commune.pk or not payment_list_visible(actor, payment_list):
            problems.add(
                "payment_lists",
                _("Payment list “%(title)s”: you may not read it, so it cannot be cited.")
                % {"title": payment_list.title},
                "not_visible",
            )
    return problems


def _finding_summary(finding: Finding) -> dict[str, object]:
    return {
        "topic": finding.topic,
        "text": finding.text,
        "events": sorted(e.pk for e in finding.events.all()),
        "groups": sorted(g.pk for g in finding.groups.all()),
        "payment_lists": sorted(p.pk for p in finding.payment_lists.all()),
    }


def _finding_write(finding: Finding, data: FindingInput) -> None:
    finding.topic = data.topic
    finding.text = _text(data.text)
    finding.save()
    finding.events.set(data.events)
    finding.groups.set(data.groups)
    finding.payment_lists.set(data.payment_lists)


@transaction.atomic
def finding_create(*, actor: User, session: Session, data: FindingInput) -> Finding:
    require_supervisor(actor, session)
    _finding_problems(actor, session, data).raise_if_any()
    finding = Finding(session=session, created_by=actor)
    _finding_write(finding, data)
    audit.record(
        actor=actor,
        action="supervision.finding.created",
        target=finding,
        org_unit=session.org_unit,
        after=_finding_summary(finding),
    )
    return finding


@transaction.atomic
def finding_update(
    *, actor: User, finding: Finding, data: FindingInput, expected_version: int | None
) -> Finding:
    require_supervisor(actor, finding.session)
    _finding_problems(actor, finding.session, data).raise_if_any()
    before = _finding_summary(finding)
    claim_version(finding, expected_version)
    _finding_write(finding, data)
    audit.record(
        actor=actor,
        action="supervision.finding.updated",
        target=finding,
        org_unit=finding.session.org_unit,
        before=before,
        after=_finding_summary(finding),
        version=finding.version,
    )
    return finding
