"""The work of a unit in a year, counted: the hub page a commune (or village) starts from.

Every count covers the unit and the units below it, in a fixed number of queries whatever the
number of villages or records.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import (
    AgeGroup,
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    Event,
    ParticipantCount,
    WomanCadre,
)
from duan8.activities.selectors.progress import RECORDS_VIEW, Period, target_issuer
from duan8.core.audit import NotVisible
from duan8.core.compiled import Compiled
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import Plan


@dataclass
class SexSplit:
    """A count of persons by sex, and how many of them belong to an ethnic minority."""

    female: int = 0
    male: int = 0
    minority: int = 0

    @property
    def total(self) -> int:
        return self.female + self.male

    def add(self, sex: str, minority: bool | None, value: int) -> None:
        if sex == "F":
            self.female += value
        else:
            self.male += value
        if minority:
            self.minority += value


@dataclass
class WorkSummary:
    unit: OrgUnit
    year: int
    groups: dict[str, int] = field(default_factory=dict)  # kind -> groups active in the year
    members: SexSplit = field(default_factory=SexSplit)
    events: dict[str, int] = field(default_factory=dict)  # kind -> events held in the year
    participants: SexSplit = field(default_factory=SexSplit)
    children: int = 0
    cadres: dict[str, int] = field(default_factory=dict)  # status -> women cadres in the year
    difficulties_raised: int = 0
    difficulties_open: int = 0

    @property
    def groups_total(self) -> int:
        return sum(self.groups.values())

    @property
    def events_total(self) -> int:
        return sum(self.events.values())

    @property
    def cadres_total(self) -> int:
        return sum(self.cadres.values())

    def group_rows(self) -> list[tuple[str, str, int]]:
        return [(k, str(label), self.groups.get(k, 0)) for k, label in CommunityGroup.Kind.choices]

    def event_rows(self) -> list[tuple[str, str, int]]:
        return [
            (k, str(label), self.events[k]) for k, label in Event.Kind.choices if k in self.events
        ]

    def cadre_rows(self) -> list[tuple[str, str, int]]:
        return [(k, str(label), self.cadres.get(k, 0)) for k, label in WomanCadre.Status.choices]


def work_summary(*, actor: User, unit: OrgUnit, year: int) -> WorkSummary:
    """Groups, members, events, participants, women cadres and difficulties of ``unit`` and the
    units below it in ``year``, in seven queries. 404 for a unit whose records the actor may not
    read."""
    if not org_units_visible_to(actor, RECORDS_VIEW).filter(pk=unit.pk).exists():
        raise NotVisible(_("Administrative unit not found."))
    period = Period.year(year)
    under = unit.path
    summary = WorkSummary(unit=unit, year=year)

    groups = CommunityGroup.objects.filter(
        org_unit__path__startswith=under, founded_on__lte=period.end
    ).exclude(
        Exists(
            CommunityGroupStatus.objects.filter(
                group=OuterRef("pk"),
                status=CommunityGroupStatus.Status.DISSOLVED,
                on__lt=period.start,
            )
        )
    )
    summary.groups = dict(
        groups.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n")
    )

    members = CommunityGroupMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=period.start),
        group__in=groups,
        joined_on__lte=period.end,
    )
    for sex, minority, n in (
        members.order_by()
        .values("sex", "ethnic_group__is_minority")
        .annotate(n=Count("id"))
        .values_list("sex", "ethnic_group__is_minority", "n")
    ):
        summary.members.add(sex, minority, n)

    events = Event.objects.filter(
        org_unit__path__startswith=under, held_on__gte=period.start, held_on__lte=period.end
    )
    summary.events = dict(
        events.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    for sex, minority, age_group, n in (
        ParticipantCount.objects.filter(event__in=events)
        .order_by()
        .values("sex", "minority", "age_group")
        .annotate(n=Sum("count"))
        .values_list("sex", "minority", "age_group", "n")
    ):
        summary.participants.add(sex, minority, n or 0)
        if age_group == AgeGroup.CHILD:
            summary.children += n or 0

    cadres = WomanCadre.objects.filter(
        Q(until__isnull=True) | Q(until__gte=period.start),
        org_unit__path__startswith=under,
        since__lte=period.end,
    )
    summary.cadres = dict(
        cadres.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
    )

    difficulties = Difficulty.objects.filter(
        org_unit__path__startswith=under, raised_on__lte=period.end
    )
    counts = difficulties.order_by().aggregate(
        raised=Count("id", filter=Q(raised_on__gte=period.start)),
        open=Count(
            "id", filter=Q(status__in=[Difficulty.Status.OPEN, Difficulty.Status.ESCALATED])
        ),
    )
    summary.difficulties_raised = counts["raised"] or 0
    summary.difficulties_open = counts["open"] or 0
    return summary


_LATEST_YEAR = Compiled(
    lambda path, issuer, year: (
        Plan.objects.filter(
            Q(issuing_unit__path__startswith=path) | Q(issuing_unit_id=issuer), year__lte=year
        )
        .order_by("-year")
        .values_list("year", flat=True)[:1]
    )
)


def work_year(unit: OrgUnit) -> int:
    """The year a unit's work pages open on: the latest year of a plan for it or under it (or
    its commune's, for a village), not after this year; this year when there is none."""
    this_year = timezone.localdate().year
    return _LATEST_YEAR.first(unit.path, target_issuer(unit).pk, this_year) or this_year
