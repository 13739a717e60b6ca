#!/usr/bin/env bash
# REST API proxy benchmark: p50/p99 of /api/containers and /api/containers/{id}/stats with N running
# containers (default 100), against a naive engine-per-request proxy in the same run, then the same
# rounds while S slowloris connections (default 200; one header byte a second, reopened when the
# server closes them) are held against the API, plus startup of `cluster-monitor.jar api-proxy` to
# its first answer. Writes docs/benchmarks.md.
# Usage: scripts/bench.sh api [containers=100] [rounds=5] [slowloris=200]   (slowloris=0 skips it)
# Env: CM_BENCH_JAVA_OPTS adds JVM options to the bench JVM (which hosts the server), e.g.
#   "-Dcm.bench.shared=cm.shared=1" (measure running containers with that label; start none),
#   "-Dcm.bench.warmup=20000" (warm-up requests per endpoint), or heap/GC flags;
#   CM_BENCH_OUT writes the section to another file than docs/benchmarks.md.
# The bench JVM's GC log goes to cluster-monitor-examples/target/bench-api-gc.log.
# Needs a Docker engine and the test image (scripts/lib-env.sh ensure_docker / ensure_test_image).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib-env.sh
trap stop_started EXIT
ensure_docker
ensure_test_image
if [ -S /var/run/docker.sock ] && [ -z "${DOCKER_HOST:-}" ]; then export DOCKER_HOST=unix:///var/run/docker.sock; fi
export CM_TEST_IMAGE CM_TEST_LABEL
./mvnw -B -q -pl cluster-monitor-examples -am package -DskipTests
./mvnw -B -q -pl cluster-monitor-examples -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
m=cluster-monitor-examples
cp="$m/target/test-classes:$m/target/classes:$(cat "$m/target/bench.classpath")"
# shellcheck disable=SC2086 # CM_BENCH_JAVA_OPTS is a list of options
java -Xlog:gc:file="$m/target/bench-api-gc.log":uptime ${CM_BENCH_JAVA_OPTS:-} \
  -cp "$cp" io.clustermonitor.examples.api.ApiBenchmark "${1:-100}" "${2:-5}" \
  "$m/target/cluster-monitor.jar" "${CM_BENCH_OUT:-docs/benchmarks.md}" "${3:-200}"
