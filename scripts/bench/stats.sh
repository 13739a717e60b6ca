#!/usr/bin/env bash
# Live stats engine benchmark: with N idle containers (default 10,50,100), snapshot p50/p99 from the
# cgroup and Engine API caches vs naive per-container stats calls (sequential and 8 in parallel),
# dockerd and our CPU seconds per minute with each source and with no monitor, and sample age.
# Runs against a dedicated dockerd it starts (own socket, data root, exec root) and stops again by
# PID, so the shared engine and other tenants' containers do not skew dockerd's CPU.
# Writes its section of docs/benchmarks.md. Runtime about 10 minutes with the defaults.
# Usage: scripts/bench.sh stats [counts=10,50,100] [cpu-window-seconds=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib-env.sh
apt_install docker.io busybox-static

dir=$(mktemp -d /tmp/cmbXXXX)
sock="unix://$dir/docker.sock"
dockerd --bridge=none --iptables=false --ip-masq=false -H "$sock" --data-root "$dir/data" \
  --exec-root "$dir/exec" --pidfile "$dir/pid" >"$dir/dockerd.log" 2>&1 &
dpid=$!
cleanup() {
  # containers first (one at a time), then dockerd and the containerd it started, by PID
  ids=$(docker -H "$sock" ps -aq 2>/dev/null || true)
  for id in $ids; do docker -H "$sock" rm -f "$id" >/dev/null 2>&1 || true; done
  cpid=$(cat "$dir/exec/containerd/containerd.pid" 2>/dev/null || true)
  kill "$dpid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$dpid" 2>/dev/null || true
  if [ -n "$cpid" ]; then kill "$cpid" 2>/dev/null || true; fi
  sleep 1
  umount "$dir"/exec/netns/* 2>/dev/null || true
  umount -R "$dir/data" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
wait_for 60 docker -H "$sock" version || { echo "dockerd did not start: $dir/dockerd.log" >&2; exit 1; }

d=$(mktemp -d)
mkdir -p "$d/bin" "$d/tmp" "$d/proc" "$d/sys" "$d/dev" "$d/etc"
cp /bin/busybox "$d/bin/"
for c in sh sleep yes cat echo true; do ln -s busybox "$d/bin/$c"; done
tar -C "$d" -c . | docker -H "$sock" import -c 'CMD ["sh"]' - "$CM_TEST_IMAGE" >/dev/null
rm -rf "$d"

./mvnw -B -q -pl cluster-monitor-core -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
m=cluster-monitor-core
cp="$m/target/test-classes:$m/target/classes:$(cat "$m/target/bench.classpath")"
DOCKER_HOST="$sock" CM_TEST_IMAGE="$CM_TEST_IMAGE" CM_TEST_LABEL="$CM_TEST_LABEL" \
  java -Xmx256m -cp "$cp" io.clustermonitor.core.bench.StatsBenchmark \
  "${1:-10,50,100}" "${2:-10}" "$dpid" docs/benchmarks.md
