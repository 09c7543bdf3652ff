"""CPU seconds spent by the server during a load run: gunicorn's workers and the PostgreSQL
backends of the load database, apart from the machine's other work.

    .venv-load/bin/python bench/load/cpu_sampler.py GUNICORN_PID DB_NAME MARKER OUT.json

Every second, reads the CPU time (user + system) of every process under gunicorn's master and of
every PostgreSQL backend connected to DB_NAME (``postgres: … DB_NAME …``), keeping the latest
figure of each process (a worker recycled by max_requests, or a connection closed after
CONN_MAX_AGE, keeps what it spent up to the last second it was seen). Counting starts when the
file MARKER appears (the locustfile writes it when every user has signed in and the statistics
restart), so the sign-ins' Argon2 is left out like their requests. On SIGTERM writes
``{"gunicorn_s", "postgres_s", "seconds", "workers_started", "worker_rss_mb"}`` to OUT.json.
With the requests Locust counted, it gives the CPU one request costs, whatever else the machine
runs (within what sharing a CPU does to caches), and so the throughput 2 idle cores would give.
"""

import json
import signal
import sys
import time
from pathlib import Path

import psutil


def cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def main() -> None:
    master, database, marker, out = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
    base: dict[int, float] | None = None
    last: dict[int, tuple[str, float]] = {}
    started = time.perf_counter()

    def finish(*_: object) -> None:
        totals = {"gunicorn": 0.0, "postgres": 0.0}
        for pid, (kind, seconds) in last.items():
            totals[kind] += seconds - (base or {}).get(pid, 0.0)
        workers = [pid for pid, (kind, _s) in last.items() if kind == "gunicorn"]
        rss = []
        for pid in workers:
            try:
                rss.append(round(psutil.Process(pid).memory_info().rss / 2**20))
            except psutil.Error:
                continue
        Path(out).write_text(
            json.dumps(
                {
                    "gunicorn_s": totals["gunicorn"],
                    "postgres_s": totals["postgres"],
                    "seconds": time.perf_counter() - started,
                    # workers that started during the run (recycled: max_requests), and the
                    # memory of those alive at its end
                    "workers_started": len(set(workers) - set(base or {})),
                    "worker_rss_mb": sorted(rss),
                }
            )
        )
        sys.exit(0)

    signal.signal(signal.SIGTERM, finish)
    while True:
        seen: dict[int, tuple[str, float]] = {}
        try:
            for child in psutil.Process(master).children(recursive=True):
                seen[child.pid] = ("gunicorn", cpu(child))
        except psutil.Error:
            pass
        for process in psutil.process_iter(["name", "cmdline"]):
            try:
                line = " ".join(process.info["cmdline"] or [])
                if line.startswith("postgres: ") and f" {database} " in line:
                    seen[process.pid] = ("postgres", cpu(process))
            except psutil.Error:
                continue
        if base is None and marker.exists():
            base = {pid: seconds for pid, (_, seconds) in {**last, **seen}.items()}
            started = time.perf_counter()
        if base is not None:
            last.update(seen)
        time.sleep(1)


if __name__ == "__main__":
    main()
