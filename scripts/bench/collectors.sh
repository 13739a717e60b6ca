#!/usr/bin/env bash
# Host, PostgreSQL and Redis collectors against the Debian Go exporters (node_exporter 1.5,
# postgres_exporter 0.11, redis_exporter 1.45) in the same run: scrape p50/p99 over 100 sequential
# scrapes after a warm-up, CPU per scrape, RSS. Writes its section of docs/benchmarks.md.
# Usage: scripts/bench.sh collectors [scrapes=100] [warmup=200]
# Needs PostgreSQL and Redis (scripts/lib-env.sh ensure_postgres / ensure_redis) and the Go exporters.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib-env.sh
trap stop_started EXIT
ensure_tools
ensure_postgres
ensure_redis
./mvnw -B -q -pl cluster-monitor-examples -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile=target/bench-collectors.classpath -Dmdep.includeScope=test
m=cluster-monitor-examples
cp="$PWD/$m/target/test-classes:$PWD/$m/target/classes:$(cat "$m/target/bench-collectors.classpath")"
java -cp "$cp" io.clustermonitor.examples.CollectorsBenchmark "$cp" docs/benchmarks.md "${1:-100}" "${2:-200}"
