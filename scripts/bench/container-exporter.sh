#!/usr/bin/env bash
# Container exporter: scrape p50/p99, body size and CPU per scrape at N = 10, 50, 100 running
# containers, with `docker stats --no-stream` timed at the same N as the same-run baseline.
# Writes its section of docs/benchmarks.md. Usage: scripts/bench.sh container-exporter [scrapes=300] [warmup=200] [Ns=10,50,100]
# Needs the Docker engine and the test image (scripts/lib-env.sh ensure_docker / ensure_test_image);
# its containers carry the test label and are removed at the end, one at a time.
# BENCH_OPTS: JVM options, e.g. -Dbench.existing=REGEX (measure running containers matching it,
# start and remove none), -Dbench.rounds=R, -Dbench.clients=raw,jdk (alternated; the first goes to
# the table), -Dbench.maxMinutes=M (overall bound), -Dbench.write=false. N = 500:
# scripts/bench.sh container-exporter 300 200 100,500
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib-env.sh
trap stop_started EXIT
ensure_docker
ensure_test_image
if [ -S /var/run/docker.sock ] && [ -z "${DOCKER_HOST:-}" ]; then export DOCKER_HOST=unix:///var/run/docker.sock; fi
m=cluster-monitor-exporters
./mvnw -B -q -pl $m -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile=target/bench-container.classpath -Dmdep.includeScope=test
cp="$PWD/$m/target/test-classes:$PWD/$m/target/classes:$(cat "$m/target/bench-container.classpath")"
java -XX:+UseSerialGC -Xmx128m ${BENCH_OPTS:-} -cp "$cp" io.clustermonitor.exporters.container.ContainerExporterBenchmark \
  docs/benchmarks.md "${1:-300}" "${2:-200}" ${3:+"$3"}
