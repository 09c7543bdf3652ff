"""Reading supervision: sessions, findings and recommendations of the units the actor may read
(``records.view``: the supervisor, the supervised commune, the reviewers above), and the records a
supervisor may cite as evidence. Anything else is answered as not found (404)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import (
    RECORDS_PERSONAL,
    RECORDS_VIEW,
    SUPERVISION_ANSWER,
    SUPERVISION_RECORD,
)
from duan8.activities.models import CommunityGroup, Event
from duan8.core.audit import NotVisible
from duan8.core.compiled import Compiled
from duan8.mothers.models import PaymentList
from duan8.mothers.selectors_payments import payments_readable
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.supervision.models import Finding, PlanComment, Recommendation, Session


def commune_of(unit: OrgUnit) -> OrgUnit:
    if unit.level == OrgUnit.Level.VILLAGE and unit.parent is not None:
        return unit.parent
    return unit


def supervision_unit_get(*, actor: User, unit_id: int) -> OrgUnit:
    """A commune or village whose supervision the actor may read; 404 otherwise."""
    unit = (
        org_units_visible_to(actor, RECORDS_VIEW)
        .filter(pk=unit_id, level__in=[OrgUnit.Level.COMMUNE, OrgUnit.Level.VILLAGE])
        .select_related("parent")
        .first()
    )
    if unit is None:
        raise NotVisible(_("Unit not found."))
    return unit


def session_list(*, actor: User, unit: OrgUnit, year: int | None = None) -> QuerySet[Session]:
    qs = Session.objects.filter(
        org_unit__in=org_units_visible_to(actor, RECORDS_VIEW), org_unit__path__startswith=unit.path
    )
    if year is not None:
        qs = qs.filter(starts_on__year=year)
    return qs.select_related("org_unit")


def session_get(*, actor: User, session_id: int) -> Session:
    session = (
        Session.objects.filter(
            pk=session_id, org_unit__in=org_units_visible_to(actor, RECORDS_VIEW)
        )
        .select_related("org_unit__parent", "activity", "event", "payment_list", "created_by")
        .first()
    )
    if session is None:
        raise NotVisible(_("Supervision session not found."))
    return session


def finding_get(*, actor: User, finding_id: int) -> Finding:
    finding = (
        Finding.objects.filter(
            pk=finding_id, session__org_unit__in=org_units_visible_to(actor, RECORDS_VIEW)
        )
        .select_related("session__org_unit__parent")
        .first()
    )
    if finding is None:
        raise NotVisible(_("Finding not found."))
    return finding


def recommendation_get(*, actor: User, recommendation_id: int) -> Recommendation:
    found = (
        Recommendation.objects.filter(pk=recommendation_id)
        .filter(
            Q(session__org_unit__in=org_units_visible_to(actor, RECORDS_VIEW))
            | Q(addressee__in=org_units_visible_to(actor, SUPERVISION_ANSWER))
        )
        .select_related("session__org_unit__parent", "addressee", "finding", "answered_by")
        .first()
    )
    if found is None:
        raise NotVisible(_("Recommendation not found."))
    return found


def session_findings(session: Session) -> list[Finding]:
    return list(
        session.findings.prefetch_related("events", "groups", "payment_lists").order_by("id")
    )


def session_recommendations(session: Session) -> list[Recommendation]:
    return list(session.recommendations.select_related("addressee", "finding").order_by("id"))


def members_visible(actor: User, session: Session) -> bool:
    """The members' names: to the supervisors and to readers of persons' names."""
    return can(actor, SUPERVISION_RECORD, session.org_unit) or can(
        actor, RECORDS_PERSONAL, session.org_unit
    )


# --- evidence ----------------------------------------------------------------------------------


def payment_list_visible(actor: User, payment_list: PaymentList) -> bool:
    """A payment list's title, year and status (never its names): to its readers and to the
    commune's supervisors."""
    return payments_readable(actor, payment_list.commune) or can(
        actor, SUPERVISION_RECORD, payment_list.commune
    )


def evidence_events(*, actor: User, unit: OrgUnit) -> QuerySet[Event]:
    commune = commune_of(unit)
    return (
        Event.objects.filter(
            org_unit__in=org_units_visible_to(actor, RECORDS_VIEW),
            org_unit__path__startswith=commune.path,
        )
        .select_related("org_unit")
        .order_by("-held_on", "-id")
    )


def evidence_groups(*, actor: User, unit: OrgUnit) -> QuerySet[CommunityGroup]:
    commune = commune_of(unit)
    return CommunityGroup.objects.filter(
        org_unit__in=org_units_visible_to(actor, RECORDS_VIEW),
        org_unit__path__startswith=commune.path,
    ).select_related("org_unit")


def evidence_payment_lists(*, actor: User, unit: OrgUnit) -> QuerySet[PaymentList]:
    commune = commune_of(unit)
    if not payment_list_visible(actor, PaymentList(commune=commune)):
        return PaymentList.objects.none()
    return PaymentList.objects.filter(commune=commune).order_by("-year", "-id")


def addressee_units(*, actor: User, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The units a recommendation of this session may be addressed to: the commune and its
    villages."""
    commune = commune_of(unit)
    return org_units_visible_to(actor, RECORDS_VIEW).filter(path__startswith=commune.path)


# --- follow-up ---------------------------------------------------------------------------------


def overdue_recommendations(
    *, actor: User, today: datetime.date | None = None
) -> list[Recommendation]:
    """Recommendations past their deadline and still open: those addressed to the actor's units
    (to answer) and those of the sessions the actor supervises (to follow up)."""
    today = today or timezone.localdate()
    answering = org_units_visible_to(actor, SUPERVISION_ANSWER)
    supervising = org_units_visible_to(actor, SUPERVISION_RECORD)
    return list(
        Recommendation.objects.filter(status=Recommendation.Status.OPEN, due_on__lt=today)
        .filter(Q(addressee__in=answering) | Q(session__org_unit__in=supervising))
        .select_related("addressee", "session")
        .order_by("due_on", "id")
    )


_PLAN_COMMENTS = Compiled(
    lambda plan_id: (
        PlanComment.objects.filter(plan_id=plan_id)
        .select_related("line", "created_by", "handled_by")
        .order_by("id")
    ),
    prepared=True,
)


def plan_comments(plan_id: int) -> list[PlanComment]:
    """Comments on a plan, oldest first (read on every plan page: core.compiled)."""
    return _PLAN_COMMENTS(plan_id)
