"""Time ``duan8 generate_demo`` in a child process on a fresh database: wall time, peak memory
(the child's maximum resident set), the CPU time of the command and, on PostgreSQL, of its
server process, and the machine's load average while it ran (other work on the machine stretches
the wall time, not the CPU times).

    .venv/bin/python bench/bench_generate.py --scale province           # SQLite, temporary file
    DB=postgres DB_HOST=127.0.0.1 DB_USER=postgres DB_NAME=duan8_bench \\
        .venv/bin/python bench/bench_generate.py --scale national [--rerun] [--keep]

On PostgreSQL the run creates ``<DB_NAME>_generate`` (dropped afterwards unless ``--keep``), so
``DB_NAME`` itself is never written to. The command loads the map itself (the whole country for
``national``): the time it reports for the records alone is shown apart. ``--rerun`` runs the
command a second time on the same database (it replaces the first run's records).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    wall: float = 0.0
    records: float | None = None  # the command's own figure: the records, without the map
    max_rss_mb: float = 0.0
    cpu: float = 0.0  # user + system of the command
    server_cpu: float | None = None  # its PostgreSQL backend(s)
    loads: list[float] = field(default_factory=list)
    output: str = ""


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def backend_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a server process on this machine, if it can be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def run(command: list[str], env: dict[str, str], watch: "Watcher | None") -> Run:
    result = Run(loads=[load_average()])
    start = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 — our own interpreter and command
        [PYTHON, "-m", "duan8", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: dict[int, float] = {}
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        result.loads.append(load_average())
        if watch is not None:
            for backend, cpu in watch.backends().items():
                seen[backend] = max(cpu, seen.get(backend, 0.0))
        time.sleep(0.5)
    result.wall = time.perf_counter() - start
    assert child.stdout is not None
    result.output = child.stdout.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"duan8 {' '.join(command)} failed:\n{result.output}")
    result.max_rss_mb = usage.ru_maxrss / 1024
    result.cpu = usage.ru_utime + usage.ru_stime
    result.loads.append(load_average())
    if watch is not None:
        result.server_cpu = sum(seen.values())
    found = re.search(r", (\d+(?:\.\d+)?) (?:s|giây)\.", result.output)
    result.records = float(found.group(1)) if found else None
    return result


class Watcher:
    """The server processes serving ``database``, read through a connection of our own."""

    def __init__(self, env: dict[str, str], database: str) -> None:
        import psycopg

        self.connection = psycopg.connect(server(env), autocommit=True)
        self.database = database

    def backends(self) -> dict[int, float]:
        rows = self.connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [self.database],
        ).fetchall()
        found = {}
        for (pid,) in rows:
            cpu = backend_cpu(pid)
            if cpu is not None:
                found[pid] = cpu
        return found


def server(env: dict[str, str]) -> str:
    """How to reach the server's own ``postgres`` database, from the settings' variables."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo(
        host=env.get("DB_HOST", "localhost"),
        port=env.get("DB_PORT", "5432"),
        user=env.get("DB_USER", "postgres"),
        password=env.get("DB_PASSWORD", ""),
        dbname="postgres",
    )


def show(title: str, result: Run) -> None:
    records = f" (records {result.records:.1f} s)" if result.records is not None else ""
    server_cpu = f", server CPU {result.server_cpu:.1f} s" if result.server_cpu is not None else ""
    loads = result.loads
    print(
        f"{title}: {result.wall:.1f} s wall{records}, peak memory {result.max_rss_mb:.0f} MB, "
        f"CPU {result.cpu:.1f} s{server_cpu}; load average {loads[0]:.1f} at the start, "
        f"{sum(loads) / len(loads):.1f} mean, {max(loads):.1f} at most"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="national", choices=["commune", "province", "national"])
    parser.add_argument("--seed", default="8")
    parser.add_argument("--rerun", action="store_true", help="run the command a second time")
    parser.add_argument("--keep", action="store_true", help="keep the database (PostgreSQL)")
    options = parser.parse_args()

    env = dict(os.environ)
    postgres = env.get("DB") == "postgres"
    tmp = None
    watch = None
    if postgres:
        import psycopg

        database = f"{env.get('DB_NAME', 'duan8')}_generate"
        env["DB_NAME"] = database
        with psycopg.connect(server(env), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
            admin.execute(f'CREATE DATABASE "{database}"')
        where = f"PostgreSQL ({database})"
    else:
        tmp = tempfile.TemporaryDirectory(prefix="duan8-bench-")
        env["SQLITE_PATH"] = str(Path(tmp.name) / "bench.sqlite3")
        where = "SQLite (temporary file)"
    try:
        migrate = run(["migrate", "--verbosity", "0"], env, None)
        print(f"{where}: migrate {migrate.wall:.1f} s; {os.cpu_count()} CPUs")
        if postgres:
            watch = Watcher(env, database)
        command = ["generate_demo", "--scale", options.scale, "--seed", options.seed]
        first = run(command, env, watch)
        print(first.output.strip())
        show(f"generate_demo --scale {options.scale}", first)
        if options.rerun:
            second = run(command, env, watch)
            print(second.output.strip())
            show("the same again (replaces the first run's records)", second)
    finally:
        if watch is not None:
            watch.connection.close()
        if postgres and not options.keep:
            with psycopg.connect(server(env), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
