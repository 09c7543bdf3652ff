"""Time the province roll-up against an equivalent hand-written SQL aggregate, in the same run.

    .venv/bin/python bench/bench_rollup.py                                  # SQLite, temporary file
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_rollup.py  # PostgreSQL

Builds a fresh database: the map of Quảng Ngãi (new province 51 = old Quảng Ngãi + old Kon Tum),
``generate_demo --scale province`` (100 communes × 30 villages, 2021–2025, seed 8) and 40
indicators (the 22 shipped rules plus 18 extra rules on members, participants, cadres,
difficulties and groups, ``demo/generator/extra_rules.py``). Then, for each case, times
``indicator_values`` (the province and each of its children, one year) and the hand-written SQL (one
raw query per kind of record, grouping straight by child unit through a placement CTE), checks
that both give the same numbers, and prints the medians. On PostgreSQL the run creates and
afterwards drops ``test_<DB_NAME>``, as the test runner does.

Options: ``--runs N`` (default 7), ``--keep`` (keep the database and print its name, to look
into it; drop it by hand afterwards).
"""

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with bench_database(keep=args.keep):
        run(args.runs)


def run(runs: int) -> None:
    import datetime

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from duan8.accounts.models import User
    from duan8.activities.models import IndicatorRule
    from duan8.activities.rules import indicator_rules_load
    from duan8.activities.values import SYSTEM, indicator_values
    from duan8.demo.generator import demo_generate
    from duan8.demo.generator.extra_rules import extra_rules_load
    from duan8.orgunits.geography import geography_load
    from duan8.orgunits.models import OrgUnit
    from duan8.programs.structure import program_structure_files, program_structure_load

    database = f"{connection.vendor} ({connection.settings_dict['NAME']})"
    started = time.perf_counter()
    geography_load(province_codes=["51"])
    for path in program_structure_files():
        program_structure_load(path=path)
    indicator_rules_load()
    extra_rules_load()
    setup_seconds = time.perf_counter() - started
    result = demo_generate(scale="province", seed=8, year_from=2021, year_to=2025)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    indicators = IndicatorRule.objects.values("element").distinct().count()

    print(f"Database: {database}")
    print(f"Map, structure and rules: {setup_seconds:.1f} s; {indicators} indicators")
    print(
        f"generate_demo --scale province: {result.seconds:.1f} s — {result.communes} communes"
        f" ({result.new_communes} after 1/7/2025), {result.villages_created} villages, "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(result.rows.items()))
    )

    new = OrgUnit.objects.get(code_scheme="qd19_2025", level=1, code="51")
    old = OrgUnit.objects.get(code_scheme="qd124_2004", level=1, code="51")
    cases = [
        ("2023 on the 2023 map (old province → districts)", old, datetime.date(2023, 12, 31)),
        ("2023 on the 2026 map (new province → new communes)", new, datetime.date(2026, 1, 1)),
    ]
    setup_test_environment()
    admin = User.objects.create_superuser("bench", password="bench-not-secret")  # noqa: S106
    client = Client()
    client.force_login(admin)
    print()
    print(f"Median of {runs} runs (after one warm-up), seconds:")
    print("| Case | indicator_values | hand SQL | ratio | page (GET) | rows | children |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, unit, as_of in cases:
        data = indicator_values(actor=SYSTEM, unit=unit, period=2023, as_of=as_of)
        hand = hand_sql(unit, as_of, 2023)
        check(data, hand)
        ours, theirs, pages = [], [], []
        url = f"/so-lieu/VN-{'QD19' if unit == new else 'QD124'}-51/?year=2023&as_of={as_of}"
        assert client.get(url).status_code == 200
        for _ in range(runs):
            start = time.perf_counter()
            data = indicator_values(actor=SYSTEM, unit=unit, period=2023, as_of=as_of)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            hand_sql(unit, as_of, 2023)
            theirs.append(time.perf_counter() - start)
            start = time.perf_counter()
            response = client.get(url)
            pages.append(time.perf_counter() - start)
            assert response.status_code == 200
        a, b, p = (statistics.median(x) for x in (ours, theirs, pages))
        print(
            f"| {label} | {a:.3f} | {b:.3f} | {a / b:.2f} | {p:.3f} | {len(data.rows):,} "
            f"| {len(data.children)} |"
        )


# --- the hand-written SQL -----------------------------------------------------------------------


def _table(model) -> str:
    return model._meta.db_table


def _placement(unit, as_of) -> tuple[str, list]:
    """A CTE ``place(unit_id, child_id)``: the child each record unit counts toward, written for
    this map: on the old map, the district at depth 2 of the path; on the new map, the new commune
    at depth 2, or the new commune an old commune (depth 3) merged into."""
    from duan8.orgunits.models import OrgUnit, OrgUnitSuccession

    units, successions = _table(OrgUnit), _table(OrgUnitSuccession)
    if unit.code_scheme == OrgUnit.CodeScheme.QD124_2004:
        return (
            f"""place AS (
                SELECT u.id AS unit_id, c.id AS child_id
                FROM {units} u JOIN {units} c ON c.path = substr(u.path, 1, 19)
                WHERE u.path LIKE %s AND c.parent_id = %s)""",
            [unit.path + "%", unit.pk],
        )
    old_paths = list(
        OrgUnitSuccession.objects.filter(successor=unit, predecessor__level=1).values_list(
            "predecessor__path", flat=True
        )
    )
    olds = " OR ".join(["u.path LIKE %s"] * len(old_paths))
    return (
        f"""place AS (
            SELECT u.id AS unit_id, c.id AS child_id
            FROM {units} u JOIN {units} c ON c.path = substr(u.path, 1, 19)
            WHERE u.path LIKE %s AND c.parent_id = %s
            UNION ALL
            SELECT u.id, s.successor_id
            FROM {units} u
            JOIN {units} oc ON oc.path = substr(u.path, 1, 28) AND oc.level = 3
            JOIN {successions} s ON s.predecessor_id = oc.id AND s.is_primary
            JOIN {units} n ON n.id = s.successor_id AND n.parent_id = %s
            WHERE {olds})""",
        [unit.path + "%", unit.pk, unit.pk, *[p + "%" for p in old_paths]],
    )


def _in(column: str, values: list) -> tuple[str, list]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _condition(rule, elements: dict[str, int], start) -> tuple[str, list]:
    """The rule's filters as SQL on the record aliases (events: ``e``, participants: ``pc`` with
    ``e``, groups: ``g``, members: ``m`` with ``g``, cadres and difficulties: ``r``)."""
    f = rule.filters or {}
    parts, params = ["TRUE"], []

    def add(sql: str, values: list) -> None:
        parts.append(sql)
        params.extend(values)

    if rule.source in ("events", "participants"):
        if f.get("kinds"):
            add(*_in("e.kind", f["kinds"]))
        if f.get("activities"):
            ids = [
                pk
                for code, pk in elements.items()
                if any(code == c or code.startswith(c + ".") for c in f["activities"])
            ]
            add(*_in("e.activity_id", ids))
        for key in ("sex", "minority", "age_group"):
            if key in f:
                add(f"pc.{key} = %s", [f[key]])
    elif rule.source == "groups":
        if f.get("kinds"):
            add(*_in("g.kind", f["kinds"]))
        if f.get("women_leadership"):
            add(*_in("g.women_leadership", f["women_leadership"]))
        if f.get("has_channel"):
            add("g.channel <> ''", [])
        if f.get("founded_in_year"):
            add("g.founded_on >= %s", [start])
    elif rule.source == "members":
        if f.get("kinds"):
            add(*_in("g.kind", f["kinds"]))
        if f.get("sex"):
            add("m.sex = %s", [f["sex"]])
    elif f.get("statuses"):
        add(*_in("r.status", f["statuses"]))
    return " AND ".join(parts), params


def hand_sql(unit, as_of, year: int, placement=None) -> dict:
    """{(child id, element id, measure, cell or None): value}, as ``indicator_values`` gives for the
    children; ``placement``: the CTE ``place(unit_id, child_id)`` for another map (the country's,
    ``bench_national.py``)."""
    import datetime

    from django.db import connection

    from duan8.activities import models as a
    from duan8.activities.models import IndicatorRule
    from duan8.programs.models import Plan, ProgramElement, Target

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    cte, cte_params = (placement or _placement)(unit, as_of)
    elements = dict(ProgramElement.objects.values_list("code", "id"))
    rules = list(IndicatorRule.objects.order_by("pk"))
    by_source = defaultdict(list)
    for rule in rules:
        by_source[rule.source].append(rule)
    event, pc = _table(a.Event), _table(a.ParticipantCount)
    group, member, status = (
        _table(a.CommunityGroup),
        _table(a.CommunityGroupMember),
        _table(a.CommunityGroupStatus),
    )
    sources = {
        "events": (f"{event} e", "e.org_unit_id", "e.held_on BETWEEN %s AND %s", [start, end]),
        "groups": (
            f"{group} g",
            "g.org_unit_id",
            f"""g.founded_on <= %s AND NOT EXISTS (SELECT 1 FROM {status} st
                WHERE st.group_id = g.id AND st.status = 'dissolved' AND st."on" < %s)""",
            [end, start],
        ),
        "members": (
            f"{member} m JOIN {group} g ON g.id = m.group_id",
            "g.org_unit_id",
            "m.joined_on <= %s AND (m.left_on IS NULL OR m.left_on >= %s)",
            [end, start],
        ),
        "cadres": (
            f"{_table(a.WomanCadre)} r",
            "r.org_unit_id",
            "r.since <= %s AND (r.until IS NULL OR r.until >= %s)",
            [end, start],
        ),
        "difficulties": (
            f"{_table(a.Difficulty)} r",
            "r.org_unit_id",
            "r.raised_on BETWEEN %s AND %s",
            [start, end],
        ),
    }
    values: dict = defaultdict(int)
    with connection.cursor() as cursor:
        for source, (table, unit_column, where, where_params) in sources.items():
            rules_here = by_source.get(source, [])
            if not rules_here:
                continue
            columns, params = [], []
            for rule in rules_here:
                sql, p = _condition(rule, elements, start)
                columns.append(f"COUNT(*) FILTER (WHERE {sql})")
                params += p
            cursor.execute(
                f"""WITH {cte}
                SELECT p.child_id, {", ".join(columns)} FROM {table}
                JOIN place p ON p.unit_id = {unit_column}
                WHERE {where} GROUP BY p.child_id""",  # noqa: S608
                [*cte_params, *params, *where_params],
            )
            for child_id, *counts in cursor.fetchall():
                for rule, count in zip(rules_here, counts, strict=True):
                    if count:
                        values[(child_id, rule.element_id, "value", None)] += count
        # Participants: of the events each event indicator counts, and the participants rules.
        event_rules = defaultdict(list)
        for rule in by_source.get("events", []):
            event_rules[rule.element_id].append(rule)
        columns, params, keys = [], [], []
        for element_id, element_rules in event_rules.items():
            ors = []
            for rule in element_rules:
                sql, p = _condition(rule, elements, start)
                ors.append(f"({sql})")
                params += p
            columns.append(f"SUM(pc.count) FILTER (WHERE {' OR '.join(ors)})")
            keys.append(("events", element_id))
        for rule in by_source.get("participants", []):
            sql, p = _condition(rule, elements, start)
            columns.append(f"SUM(pc.count) FILTER (WHERE {sql})")
            params += p
            keys.append(("participants", rule.element_id))
        cursor.execute(
            f"""WITH {cte}
            SELECT p.child_id, pc.sex, pc.minority, pc.age_group, {", ".join(columns)}
            FROM {pc} pc JOIN {event} e ON e.id = pc.event_id
            JOIN place p ON p.unit_id = e.org_unit_id
            WHERE e.held_on BETWEEN %s AND %s
            GROUP BY p.child_id, pc.sex, pc.minority, pc.age_group""",  # noqa: S608
            [*cte_params, *params, start, end],
        )
        for child_id, sex, minority, age, *sums in cursor.fetchall():
            cell = (sex, bool(minority), age)
            for (kind, element_id), total in zip(keys, sums, strict=True):
                if total:
                    values[(child_id, element_id, "participants", cell)] += total
                    if kind == "participants":
                        values[(child_id, element_id, "value", None)] += total
        # Targets of the communes' plans (children that are communes only).
        cursor.execute(
            f"""WITH {cte}
            SELECT p.child_id, t.element_id, SUM(t.value) FROM {_table(Target)} t
            JOIN {_table(Plan)} pl ON pl.id = t.plan_id
            JOIN place p ON p.unit_id = pl.issuing_unit_id
            JOIN {_table(unit.__class__)} c ON c.id = p.child_id AND c.level = 3
            WHERE pl.year = %s AND t.scope = 'commune' AND t.kind = 'number'
            GROUP BY p.child_id, t.element_id""",  # noqa: S608
            [*cte_params, year],
        )
        for child_id, element_id, total in cursor.fetchall():
            values[(child_id, element_id, "target", None)] += total
    return values


def check(data, hand: dict) -> None:
    """The two must agree on every child's values, participants and targets."""
    ours = {}
    children = {c.pk for c in data.children}
    for row in data.rows:
        if row.unit.pk in children and row.value:
            cell = (row.cell.sex, row.cell.minority, row.cell.age_group) if row.cell else None
            ours[(row.unit.pk, row.element.pk, str(row.measure), cell)] = row.value
    theirs = {k: v for k, v in hand.items() if v}
    if ours != theirs:
        diff = {k: (ours.get(k), theirs.get(k)) for k in ours.keys() | theirs.keys()}
        diff = {k: v for k, v in diff.items() if v[0] != v[1]}
        raise SystemExit(
            f"indicator_values and the hand SQL disagree on {len(diff)} values: {diff}"
        )


if __name__ == "__main__":
    main()
