#!/usr/bin/env bash
# Compare gunicorn worker models under the closed loop (no pause), one run.sh each, in turn:
#   bench/load/compare_workers.sh            # LOAD_MINUTES=2 each by default
# Prints each run's table (bench/out/load/*_locust.txt keep Locust's own report).
set -uo pipefail
cd "$(dirname "$0")/../.."
export LOAD_THINK=${LOAD_THINK:-0} LOAD_USERS=${LOAD_USERS:-50} LOAD_MINUTES=${LOAD_MINUTES:-2}
for model in "sync 5 1" "gthread 3 4" "gthread 5 2" "sync 3 1"; do
  read -r class workers threads <<<"$model"
  GUNICORN_WORKER_CLASS=$class GUNICORN_WORKERS=$workers GUNICORN_THREADS=$threads \
    LOAD_LABEL="${LOAD_MIX:-pages}_${class}${workers}x${threads}_$(date -u +%H%M%S)" \
    bench/load/run.sh
done
