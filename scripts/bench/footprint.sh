#!/usr/bin/env bash
# Footprint side by side (issue 18): at N = 10 and N = 100 running containers, in one run, our
# `serve` (through the launcher, as the README runs it) and each exporter command, Debian's Go
# node/postgres/redis exporters and Netdata (cgroups plugin, 1 s updates, loopback only): RSS after
# warm-up, after the timed scrapes, under 100 clients and 30 s after; idle CPU % of one core; scrape
# p50/p99; allocation per scrape (ours, JFR). Writes its section of docs/benchmarks.md.
# Usage: scripts/bench.sh footprint [N...]   (default: 10 100; about 15 minutes)
# Environment: FOOTPRINT_QUICK=1 for a short smoke run (fewer scrapes, short idle windows);
#   FOOTPRINT_SCRAPES (10000), FOOTPRINT_SCRAPE_SECONDS (150: the time bound of the timed scrapes),
#   FOOTPRINT_WARMUP, FOOTPRINT_IDLE_WINDOWS, FOOTPRINT_IDLE_WINDOW_SECONDS, FOOTPRINT_CLIENTS,
#   FOOTPRINT_LOAD_SECONDS, FOOTPRINT_AFTER_SECONDS, FOOTPRINT_STARTS.
# Uses the running test environment (/tmp/cm-test-env.sh: dockerd, PostgreSQL, Redis) when it is up
# and starts only what is missing, through scripts/lib-env.sh, with its own state directory: on exit
# it stops exactly what it started, by PID, and removes only the containers it created, one at a time.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Our own state directory: lib-env's stop_started and dockerd.pid bookkeeping then only ever see
# what this run started, never the shared environment's records.
export CM_STATE_DIR
CM_STATE_DIR=$(mktemp -d /tmp/cm-footprint-env.XXXX)
# shellcheck source=/dev/null
[ -f /tmp/cm-test-env.sh ] && source /tmp/cm-test-env.sh
source scripts/lib-env.sh
cleanup() {
  stop_started
  rm -rf "$CM_STATE_DIR"
}
trap cleanup EXIT
ensure_docker
ensure_test_image
ensure_postgres
ensure_redis
apt_install prometheus-node-exporter prometheus-postgres-exporter prometheus-redis-exporter
ensure_netdata
if [ -S /var/run/docker.sock ] && [ -z "${DOCKER_HOST:-}" ]; then export DOCKER_HOST=unix:///var/run/docker.sock; fi
export CM_TEST_IMAGE CM_TEST_LABEL
m=cluster-monitor-examples
./mvnw -B -q -pl $m -am package -DskipTests
launcher="$PWD/$m/target/bin/cluster-monitor"
[ -x "$launcher" ] || { echo "footprint: $launcher missing after the build" >&2; exit 1; }
[ $# -gt 0 ] || set -- 10 100
timeout 3600 python3 scripts/bench/footprint.py "$launcher" docs/benchmarks.md "$(docker_bin)" "$@"
