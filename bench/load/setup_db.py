"""Build the load test's PostgreSQL database and its users (issue 18, point 5).

    DB=postgres DB_HOST=127.0.0.1 DB_USER=postgres DB_NAME=duan8_load \
        .venv/bin/python bench/load/setup_db.py [--users 50] [--fresh]

Creates ``DB_NAME`` if it is missing (``--fresh``: drops it first), migrates it, fills it with
``duan8 generate_demo --scale province --year-to <this year>`` (province 51: 100 old communes ×
30 villages, 2021–2025, and the 69 new communes after 1/7/2025 with this year's plans, the same
generator as bench/bench_rollup.py), then makes ``--users`` Women's Union officers
(``commune_wu_officer``, the role that records events), one per new commune with a plan this
year, each with a password (Argon2, as in production) and a read-write API token for the
API path. Their names, communes, plans and keys go to ``bench/out/load/users.json`` (gitignored),
which the Locust scenario reads. Skips the data when the database already holds it (re-run
with ``--fresh`` to rebuild); the users are made again each run (old ones are deactivated).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out" / "load"
PASSWORD = "load-test-Passw0rd-2026"  # noqa: S105 — a benchmark database, never production


def database_ensure(name: str, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(
        host=os.environ.get("DB_HOST", "127.0.0.1"),
        port=os.environ.get("DB_PORT", "5432"),
        user=os.environ.get("DB_USER", "postgres"),
        password=os.environ.get("DB_PASSWORD", ""),
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    if os.environ.get("DB") != "postgres":
        raise SystemExit("Set DB=postgres (and DB_NAME): the load test runs on PostgreSQL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duan8.settings")
    name = os.environ.get("DB_NAME", "duan8_load")
    os.environ["DB_NAME"] = name
    database_ensure(name, args.fresh)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from duan8.accounts.models import Membership, Role, User
    from duan8.activities.selectors.events import activity_kinds, recording_units
    from duan8.activities.services.events import plan_activities
    from duan8.api.tokens import api_token_create
    from duan8.orgunits.models import OrgUnit
    from duan8.programs.models import Plan

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    year = timezone.localdate().year
    if not Plan.objects.filter(year=year).exists():
        call_command("generate_demo", scale="province", year_to=year)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Database {name}: migrated and filled in {time.perf_counter() - started:.0f} s")

    User.objects.filter(username__startswith="load.").update(is_active=False)
    role = Role.objects.get(code="commune_wu_officer")
    plans = (
        Plan.objects.filter(year=year, issuing_unit__code_scheme=OrgUnit.CodeScheme.QD19_2025)
        .select_related("issuing_unit")
        .order_by("issuing_unit__code")
    )
    users = []
    for i, plan in enumerate(plans[: args.users], start=1):
        commune = plan.issuing_unit
        username = f"load.{commune.code}"
        user, _ = User.objects.update_or_create(
            username=username, defaults={"full_name": f"Cán bộ thử tải {i}", "is_active": True}
        )
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.get_or_create(user=user, org_unit=commune, role=role)
        _, key = api_token_create(actor=user, name="load test", read_only=False, days=30)
        activities = plan_activities(plan)
        kinds = activity_kinds(actor=user, activities=activities)
        units = recording_units(actor=user, unit=commune, year=year)
        users.append(
            {
                "username": username,
                "password": PASSWORD,
                "commune": commune.pk,
                "commune_name": commune.full_name,
                "plan": plan.pk,
                "year": year,
                "token": key,
                # for the API path (the form path reads its choices from the page)
                "activities": {a.code: kinds[a.pk] for a in activities if a.pk in kinds},
                "units": [u.pk for u in units],
            }
        )
    if len(users) < args.users:
        raise SystemExit(f"Only {len(users)} communes have a plan for {year}.")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "users.json").write_text(json.dumps(users, ensure_ascii=False, indent=1))
    print(f"{len(users)} users written to {OUT / 'users.json'}")


if __name__ == "__main__":
    main()
