"""The generator writes the same rows for the same seed, whatever way it writes them.

The figures below were taken from ``generate_demo --scale commune`` (seed 8, 2021–2025) before
the rows went through COPY (PostgreSQL) and ``executemany`` (SQLite) instead of model instances
and ``bulk_create``; they are the same on both databases. A deliberate change to what the
generator makes changes them: take the new ones from ``rows_fingerprint`` after checking the data.
"""

import datetime
import hashlib
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    Event,
    ParticipantCount,
    WomanCadre,
)
from duan8.demo.generator import DEMO_MARK
from duan8.demo.generator.writer import ids_take, rows_write
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, Target

pytestmark = pytest.mark.django_db

BA_TRANG_SEED_8 = {
    "villages": (34, 0),
    "plans": (6, 4433031),
    "targets": (48, 660),
    "groups": (21, 15497661),
    "statuses": (22, 16236907),
    "members": (204, 405009),
    "events": (844, 623580639),
    "participant_counts": (4018, 32687),
    "cadres": (6, 4444452),
    "difficulties": (8, 5911549),
    "digest": "015f4731912a84e5",
}


def _day(value: datetime.date | None) -> int:
    return value.toordinal() if value else 0


def rows_fingerprint() -> dict[str, object]:
    """Per table the generator writes: the number of rows and a sum over them, and one digest of
    every row's content (no ids, no timestamps), the same on SQLite and PostgreSQL."""
    demo_plans = Plan.objects.filter(proposal=DEMO_MARK)
    villages = OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE, legal_act=DEMO_MARK)
    plans = list(demo_plans.values_list("issuing_unit__code", "year", "number", "issued_on"))
    targets = list(
        Target.objects.filter(plan__in=demo_plans).values_list(
            "plan__issuing_unit__code", "plan__year", "element__code", "value"
        )
    )
    groups = list(
        CommunityGroup.objects.values_list(
            "org_unit__code", "kind", "name", "founded_on", "women_leadership", "channel"
        )
    )
    statuses = list(
        CommunityGroupStatus.objects.values_list(
            "group__name", "group__org_unit__code", "status", "on"
        )
    )
    members = list(
        CommunityGroupMember.objects.values_list(
            "group__name",
            "group__org_unit__code",
            "full_name",
            "sex",
            "ethnic_group__code",
            "birth_year",
            "role",
            "joined_on",
        )
    )
    events = list(
        Event.objects.values_list(
            "org_unit__code",
            "held_on",
            "kind",
            "activity__code",
            "title",
            "place",
            "cost",
            "group__name",
        )
    )
    counts = list(
        ParticipantCount.objects.values_list(
            "event__org_unit__code",
            "event__held_on",
            "event__title",
            "sex",
            "minority",
            "age_group",
            "count",
        )
    )
    cadres = list(
        WomanCadre.objects.values_list(
            "org_unit__code",
            "full_name",
            "ethnic_group__code",
            "birth_year",
            "position",
            "status",
            "since",
        )
    )
    difficulties = list(
        Difficulty.objects.values_list(
            "org_unit__code", "raised_on", "description", "status", "escalated_on", "answered_on"
        )
    )
    units = list(villages.values_list("code", "name", "kind", "parent__code"))
    tables = {
        "villages": (units, 0),
        "plans": (plans, sum(p[2] + _day(p[3]) for p in plans)),
        "targets": (targets, int(sum(t[3] for t in targets))),
        "groups": (groups, sum(_day(g[3]) for g in groups)),
        "statuses": (statuses, sum(_day(s[3]) for s in statuses)),
        "members": (members, sum(m[5] for m in members)),
        "events": (
            events,
            int(sum(e[6] for e in events)) // 100_000 + sum(_day(e[1]) for e in events),
        ),
        "participant_counts": (counts, sum(c[6] for c in counts)),
        "cadres": (cadres, sum(c[3] + _day(c[6]) for c in cadres)),
        "difficulties": (difficulties, sum(_day(d[1]) for d in difficulties)),
    }
    digest = hashlib.sha256()
    result: dict[str, object] = {}
    for name, (rows, total) in tables.items():
        result[name] = (len(rows), total)
        text = sorted(
            repr(tuple(int(v) if isinstance(v, Decimal) else v for v in row)) for row in rows
        )
        digest.update("\n".join(text).encode())
    result["digest"] = digest.hexdigest()[:16]
    return result


@pytest.fixture(scope="module")
def ba_trang_demo(django_db_setup, django_db_blocker):
    """xã Ba Trang's demo data (seed 8), made once for the module in a transaction rolled back at
    its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generate_demo", scale="commune", seed=8, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_seed_8_gives_the_rows_it_always_gave(ba_trang_demo):
    assert rows_fingerprint() == BA_TRANG_SEED_8


def test_a_rerun_writes_the_same_rows_again(ba_trang_demo):
    call_command("generate_demo", scale="commune", seed=8, stdout=StringIO())

    assert rows_fingerprint() == BA_TRANG_SEED_8


def test_written_rows_take_their_fields_defaults_as_the_orm_gives_them(ba_trang_demo):
    event = Event.objects.filter(kind=Event.Kind.BROADCAST).order_by("pk").first()
    assert event is not None  # a broadcast counts no participants
    [pk] = ids_take(ParticipantCount, 1)

    rows_write(
        ParticipantCount,
        ["id", "event_id", "sex", "minority", "age_group", "count"],
        [(pk, event.pk, "F", True, "adult", 7)],
    )

    written = ParticipantCount.objects.get(pk=pk)
    made = ParticipantCount.objects.create(
        event=event, sex="M", minority=False, age_group="adult", count=3
    )
    assert (written.event, written.sex, written.minority, written.count) == (event, "F", True, 7)
    assert written.created_at is not None and written.updated_at is not None
    assert made.pk > pk  # the taken id is never given again
    member = CommunityGroupMember.objects.order_by("pk").first()
    assert member is not None
    assert member.version == 1  # a field's default fills a column the generator leaves out
    assert member.left_on is None


def test_ids_taken_are_new_and_increasing(ba_trang_demo):
    highest = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    first = ids_take(Event, 3)
    second = ids_take(Event, 2)

    assert first == sorted(first) and len(set(first)) == 3
    assert min(first) > highest
    assert ids_take(Event, 0) == []
    # On PostgreSQL the sequence moves on at once; elsewhere the ids are taken once written.
    assert second == sorted(second) and len(set(second)) == 2
