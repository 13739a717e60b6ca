#!/usr/bin/env bash
# Startup: exec to the first 200 from /health of `target/bin/cluster-monitor serve` (the README's
# command: launcher, class-data sharing archive present, i.e. its second and later runs) and of
# plain `java -jar cluster-monitor.jar api-proxy` (no launcher flags, no archive), S starts each
# (default 5), plus the launcher's first run (training run writing the archive, then the start).
# Also the JVM's CPU time (user + system, all threads) at the first answer, which the machine's
# load disturbs less than the wall time. Writes the "Startup" section of docs/benchmarks.md.
# Usage: scripts/bench.sh startup [starts=5]   (CM_BENCH_SKIP_BUILD=1 reuses the built jar)
# Needs the Docker engine (scripts/lib-env.sh ensure_docker); starts no containers.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib-env.sh
trap stop_started EXIT
ensure_docker
if [ -S /var/run/docker.sock ] && [ -z "${DOCKER_HOST:-}" ]; then export DOCKER_HOST=unix:///var/run/docker.sock; fi
starts=${1:-5}
m=cluster-monitor-examples
if [ "${CM_BENCH_SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -pl $m -am package -DskipTests
fi
# A fresh distribution (launcher + jar) in a scratch directory: the first run writes its archive there.
dist=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dist"
  stop_started
}
trap cleanup EXIT
mkdir -p "$dist/bin"
cp $m/target/bin/cluster-monitor "$dist/bin/"
cp $m/target/cluster-monitor.jar "$dist/"
results=$(mktemp)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
tck=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# time_start LABEL CMD...: exec to the first 200 of /health on $port; appends "LABEL wall_ms cpu_ms".
time_start() {
  local label=$1 t0 t1 cpu code
  shift
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health" || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$pid" 2>/dev/null; then echo "startup: $label exited before answering" >&2; exit 1; fi
    if [ $(( ($(date +%s%N) - t0) / 1000000000 )) -gt 300 ]; then echo "startup: $label: no answer in 300 s" >&2; exit 1; fi
    sleep 0.005
  done
  t1=$(date +%s%N)
  cpu=$(awk -v t="$tck" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  echo "$label $(( (t1 - t0) / 1000000 )) $cpu" | tee -a "$results" >&2
}

port=$(free_port)
time_start launcher-first "$dist/bin/cluster-monitor" serve --listen "127.0.0.1:$port"
for _ in $(seq "$starts"); do
  port=$(free_port)
  time_start launcher "$dist/bin/cluster-monitor" serve --listen "127.0.0.1:$port"
  port=$(free_port)
  time_start plain java -jar "$dist/cluster-monitor.jar" api-proxy --listen "127.0.0.1:$port"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
archive=$(ls "$dist"/*.jsa 2>/dev/null | head -1)
archive_mb=$( [ -n "$archive" ] && du -m "$archive" | cut -f1 || echo 0)

python3 - "$results" docs/benchmarks.md "$starts" "$load_before" "$load_after" "$archive_mb" "$(nproc)" <<'EOF'
import re, statistics, sys, datetime
res, doc, starts, lb, la, jsa_mb, cpus = sys.argv[1:]
rows = {}
for line in open(res):
    label, wall, cpu = line.split()
    rows.setdefault(label, []).append((int(wall), int(cpu)))
def fig(vals):
    return "%d (%d-%d)" % (statistics.median(vals), min(vals), max(vals))
def row(name, label, target):
    r = rows[label]
    walls = [w for w, _ in r]
    cpus_ = [c for _, c in r]
    med = statistics.median(walls)
    verdict = "" if target is None else (" met" if med <= target else " MISSED")
    tgt = "—" if target is None else "<= %d ms%s" % (target, verdict)
    return "| %s | %d | %s | %s | %s |" % (name, len(r), fig(walls), fig(cpus_), tgt)
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
section = f"""## Startup (`scripts/bench.sh startup`)

Run {now} on the test machine ({cpus} CPUs, Docker engine on the local socket). Load average
{lb} before and {la} after (1, 5, 15 min). **Other builds and tests were running: the wall
times are noisy and come out higher than on a quiet machine; the CPU times are disturbed less.**
Each start is exec to the first `200` from `/health` (curl polling every 5 ms), {starts} starts
each, alternating; the process is stopped after its first answer. Median, min-max in brackets.

| launch | starts | wall ms | CPU ms at first answer (all threads) | target |
| --- | --- | --- | --- | --- |
{row("`bin/cluster-monitor serve` (launcher, CDS archive mapped)", "launcher", 1000)}
{row("`java -jar cluster-monitor.jar api-proxy` (plain, JVM defaults, no archive)", "plain", 1500)}
{row("`bin/cluster-monitor serve`, first run (training run writes the %s MiB archive, then the start; CPU of the serve JVM only)" % jsa_mb, "launcher-first", None)}

`/health` answers from the first moment the server listens: the engine is synced in the
background and `/health` says `unhealthy` until it is (the REST API section's "to the first 200
from `/api/containers`" figure is the synced one).
"""
text = open(doc).read()
m = re.search(r"^## Startup \(`scripts/bench.sh startup`\)\n.*?(?=^## )", text, re.S | re.M)
if m:
    text = text[:m.start()] + section + "\n" + text[m.end():]
else:
    at = text.find("## Footprint")
    at = at if at >= 0 else len(text)
    text = text[:at] + section + "\n" + text[at:]
open(doc, "w").write(text)
EOF
echo "startup: wrote the Startup section of docs/benchmarks.md" >&2
