"""Event submissions without HTTP: the service called in a loop, beside the Locust figures.

    set -a; . bench/load/load.env; set +a
    .venv/bin/python bench/load/direct_service.py [--events 500] [--processes 2]

``duan8.activities.services.events.event_create`` (every check, the locks, the audit entry, one
transaction per event) for the first user of ``bench/out/load/users.json`` on the load database,
``--events`` times in each of ``--processes`` processes at once (as many as gunicorn's workers
have cores); prints events per second, wall and CPU. The events are titled ``Dịch vụ trực
tiếp …`` so that a Locust run's count (``Thử tải …``) never includes them.
"""

import argparse
import datetime
import json
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))


def work(args: tuple[int, int]) -> tuple[float, float]:
    worker, events = args
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duan8.settings")
    import django

    django.setup()
    from duan8.accounts.models import User
    from duan8.activities.services.events import CountInput, EventInput, event_create
    from duan8.orgunits.models import OrgUnit
    from duan8.programs.models import Plan, ProgramElement

    me = json.loads((ROOT / "bench/out/load/users.json").read_text())[worker]
    actor = User.objects.get(username=me["username"])
    plan = Plan.objects.get(pk=me["plan"])
    units = list(OrgUnit.objects.filter(pk__in=me["units"]))
    activities = [
        (ProgramElement.objects.get(code=code), kind) for code, kind in me["activities"].items()
    ]
    rng = random.Random(worker)  # noqa: S311
    first = datetime.date(me["year"], 1, 1)

    def one(i: int) -> None:
        activity, kind = rng.choice(activities)
        event_create(
            actor=actor,
            data=EventInput(
                plan=plan,
                activity=activity,
                kind=kind,
                title=f"Dịch vụ trực tiếp {worker}-{i}-{time.time()}",
                held_on=first + datetime.timedelta(rng.randint(0, 300)),
                org_unit=rng.choice(units),
                counts=[
                    CountInput("F", True, "adult", rng.randint(1, 30)),
                    CountInput("M", True, "adult", rng.randint(1, 30)),
                ],
            ),
        )

    for i in range(20):  # warm-up
        one(-i)
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(events):
        one(i)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        results = pool.map(work, [(w, args.events) for w in range(args.processes)])
    wall = max(w for w, _ in results)
    cpu = sum(c for _, c in results) / len(results)
    total = args.events * args.processes
    print(
        f"event_create: {total} events in {wall:.1f} s by {args.processes} processes:"
        f" {total / wall:.0f} events/s; CPU per event {cpu / args.events * 1000:.1f} ms"
        f" (this process; PostgreSQL's apart); load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
