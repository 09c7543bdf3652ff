#!/usr/bin/env bash
# The load test of issue 18, point 5: gunicorn (deploy/gunicorn.conf.py) on the load database,
# Locust (bench/load/locustfile.py) against it, then the rows counted. See bench/README.md,
# "Load (issue 18)".
#
#   bench/load/run.sh                         # 50 users, 5 s mean pause, 10 minutes, the page mix
#   LOAD_MINUTES=1 bench/load/run.sh          # a smoke run
#   LOAD_THINK=0 LOAD_USERS=50 bench/load/run.sh                  # closed loop (no pause)
#   LOAD_THINK=0 LOAD_MIX=entry bench/load/run.sh                 # event submissions, form GET+POST
#   LOAD_THINK=0 LOAD_MIX=api bench/load/run.sh                   # event submissions, the API (token)
#   LOAD_THINK=0 LOAD_MIX=offline bench/load/run.sh               # the API as the offline page (session)
#   GUNICORN_WORKER_CLASS=gthread GUNICORN_THREADS=4 GUNICORN_WORKERS=3 bench/load/run.sh  # not the default
#
# Needs: make load-deps (Locust in .venv-load), PostgreSQL, and once (or with --fresh to rebuild)
#   DB=postgres DB_HOST=127.0.0.1 DB_USER=postgres DB_NAME=duan8_load \
#       .venv/bin/python bench/load/setup_db.py
# which this script runs itself when bench/out/load/users.json is missing. The environment
# gunicorn is started with is bench/load/load.env (DEBUG off; any variable set outside wins).
# Results: bench/out/load/<label>_stats.csv (Locust), gunicorn.log, loadavg.txt, and a summary
# on stdout; the exit status is 1 when an error occurred or a saved event is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/bench/out/load
mkdir -p "$OUT"

USERS=${LOAD_USERS:-50}
MINUTES=${LOAD_MINUTES:-10}
THINK=${LOAD_THINK:-5}
MIX=${LOAD_MIX:-pages}
PORT=${LOAD_PORT:-8031}
LABEL=${LOAD_LABEL:-${MIX}_u${USERS}_t${THINK}_$(date -u +%H%M%S)}

# The environment of the server: load.env, except what the caller set.
while IFS='=' read -r name value; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ -z "${!name:-}" ]] && export "$name=$value"
done < bench/load/load.env

if [[ ! -x .venv-load/bin/locust ]]; then
  echo "Locust is missing: make load-deps" >&2
  exit 2
fi
if [[ ! -s "$OUT/users.json" ]]; then
  .venv/bin/python bench/load/setup_db.py
fi
if [[ ! -s staticfiles/staticfiles.json ]]; then
  .venv/bin/python -m duan8 collectstatic --noinput -v0
fi

psql_count() {
  PGPASSWORD=${DB_PASSWORD:-} psql -h "$DB_HOST" -U "$DB_USER" -d "$DB_NAME" -At -c \
    "SELECT count(*) FROM activities_event WHERE title LIKE 'Thử tải %'"
}

.venv/bin/gunicorn --config deploy/gunicorn.conf.py --bind "127.0.0.1:$PORT" duan8.wsgi \
  >"$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
SAMPLER=
cleanup() {
  [[ -n "$SAMPLER" ]] && kill "$SAMPLER" 2>/dev/null || true
  kill "$GUNICORN" 2>/dev/null || true
  wait "$GUNICORN" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" && break
  sleep 1
done
# Each worker imports the views on its first requests (1–4 s): not what a user of a running
# server meets, so warm them before counting.
for _ in $(seq 30); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" || true; done

# Fresh planner statistics: earlier runs and profiles add thousands of events to a few
# communes, and a plan chosen on stale counts (a user's events scanned instead of one index step)
# would be measured instead of the code.
PGPASSWORD=${DB_PASSWORD:-} psql -h "$DB_HOST" -U "$DB_USER" -d "$DB_NAME" -q -c "ANALYZE"
before=$(psql_count)
rm -f "$OUT/stats_reset"
.venv-load/bin/python bench/load/cpu_sampler.py "$GUNICORN" "$DB_NAME" "$OUT/stats_reset" \
  "$OUT/${LABEL}_cpu.json" &
CPU_SAMPLER=$!
: >"$OUT/loadavg.txt"
(while true; do cut -d' ' -f1-3 /proc/loadavg >>"$OUT/loadavg.txt"; sleep 15; done) &
SAMPLER=$!
echo "==> $LABEL: $USERS users, pause ${THINK}s, $MINUTES min, mix $MIX," \
  "workers ${GUNICORN_WORKERS:-as in deploy/gunicorn.conf.py} ${GUNICORN_WORKER_CLASS:-} x${GUNICORN_THREADS:-}"
(
  cd bench/load
  LOAD_MIX=$MIX LOAD_THINK=$THINK LOAD_SUMMARY="$OUT/${LABEL}_summary.json" \
    "$ROOT/.venv-load/bin/locust" -f locustfile.py --headless -u "$USERS" -r "$USERS" \
    -t "${MINUTES}m" -H "http://127.0.0.1:$PORT" --csv "$OUT/$LABEL" --only-summary \
    --stop-timeout 30 --exit-code-on-error 0 >"$OUT/${LABEL}_locust.txt" 2>&1
) || { tail -20 "$OUT/${LABEL}_locust.txt" >&2; exit 2; }
kill "$SAMPLER" 2>/dev/null || true
SAMPLER=
kill "$CPU_SAMPLER" && wait "$CPU_SAMPLER" || true
after=$(psql_count)

.venv-load/bin/python - "$OUT" "$LABEL" "$before" "$after" <<'EOF'
import csv, json, sys
from pathlib import Path

out, label, before, after = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = list(csv.DictReader((out / f"{label}_stats.csv").open()))
summary = json.loads((out / f"{label}_summary.json").read_text())
cpu = json.loads((out / f"{label}_cpu.json").read_text())
loads = [float(line.split()[0]) for line in (out / "loadavg.txt").read_text().split("\n") if line]
print(f"{'name':28} {'requests':>8} {'fails':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}")
for row in rows:
    if row["Name"].startswith("sign-in") or row["Name"] == "offline data":
        continue
    print(
        f"{row['Name']:28} {row['Request Count']:>8} {row['Failure Count']:>6}"
        f" {float(row['Requests/s']):7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
    )
total = next(r for r in rows if r["Name"] == "Aggregated")
for row in rows:
    if row["Name"].startswith("entry") and "POST" in row["Name"] and int(row["Request Count"]):
        rate = float(row["Requests/s"]) * (1 - int(row["Failure Count"]) / int(row["Request Count"]))
        print(f"{row['Name']}: {rate:.1f} events saved a second")
saved = summary["form"] + summary["api"]
print(
    f"events: {after - before} rows added, {saved} saves answered, {summary['refused']} refused;"
    f" load average during the run {min(loads):.1f}–{max(loads):.1f}"
    f" (mean {sum(loads) / len(loads):.1f}) on {len(loads)} samples"
)
requests = int(total["Request Count"])
if requests:
    app, db = cpu["gunicorn_s"] / requests * 1000, cpu["postgres_s"] / requests * 1000
    print(
        f"CPU per request: gunicorn {app:.1f} ms + PostgreSQL {db:.1f} ms = {app + db:.1f} ms"
        f" -> {2000 / (app + db):.0f} requests/s on 2 idle cores (Locust apart);"
        f" sign-in median {summary.get('sign_in_median_s', 0):.1f} s"
    )
    print(
        f"gunicorn: {cpu.get('workers_started', 0)} workers started during the run (max_requests);"
        f" memory of each at the end {cpu.get('worker_rss_mb', [])} MB"
    )
ok = int(total["Failure Count"]) == 0 and after - before == saved
print("OK" if ok else "FAILED: errors, or rows differ from the saves answered")
sys.exit(0 if ok else 1)
EOF
