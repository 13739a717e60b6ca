#!/usr/bin/env bash
# REST API proxy benchmark: p50/p99 of /api/containers and /api/containers/{id}/stats with N running
# containers (default 100), against a naive engine-per-request proxy in the same run, then the same
# rounds while S slowloris connections (default 200; one header byte a second, reopened when the
# server closes them) are held against the API, plus startup of `cluster-monitor.jar api-proxy` to
# its first answer. Writes docs/benchmarks.md.
# Usage: scripts/bench.sh api [containers=100] [rounds=5] [slowloris=200]   (slowloris=0 skips it)
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
java -cp "$cp" io.clustermonitor.examples.api.ApiBenchmark "${1:-100}" "${2:-5}" \
  "$m/target/cluster-monitor.jar" docs/benchmarks.md "${3:-200}"
