#!/usr/bin/env bash
# Builds, starts, checks and removes the compose/ stack on this machine: no registry, no bridge
# networks, loopback only.
#
#   scripts/stack.sh build   the Debian base (debootstrap + docker import, cached under /var/tmp),
#                            local stand-ins for the third-party images that exist in Debian
#                            (Prometheus, Alertmanager, PostgreSQL, Redis, a Java 17 runtime, busybox),
#                            then our image from compose/Dockerfile with those as base images
#   scripts/stack.sh up      the real compose/docker-compose.yml plus a generated override for this
#                            machine only (network_mode: host, distinct loopback ports, service names
#                            mapped to 127.0.0.1); Grafana and MinIO are left out (not in Debian)
#   scripts/stack.sh test    every service healthy by Docker's own healthcheck, every Prometheus
#                            target up, every alert rule loaded and evaluated without error, our
#                            exporters' metrics present, the resource limits applied, RedisDown
#                            reaching Alertmanager when Redis is stopped and clearing when it is back
#   scripts/stack.sh down    removes the project's containers one at a time (moby#46661), then its
#                            volumes; images stay as the build cache
#
# Settings (environment): CM_STACK_PROJECT (compose project name, default cmstack), the host ports
# CM_API_PORT, CM_CONTAINER_EXPORTER_PORT, CM_NODE_EXPORTER_PORT, CM_POSTGRES_EXPORTER_PORT,
# CM_REDIS_EXPORTER_PORT, PROMETHEUS_PORT, ALERTMANAGER_PORT, CM_POSTGRES_PORT, CM_REDIS_PORT (the
# standard ports by default), CM_STACK_HEALTH_TIMEOUT (s, default 120), CM_STACK_CACHE (default
# /var/tmp/cluster-monitor). Several commands may be given: scripts/stack.sh build up test down.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PROJECT=${CM_STACK_PROJECT:-cmstack}
CACHE=${CM_STACK_CACHE:-/var/tmp/cluster-monitor}
STATE=$CACHE/stack-$PROJECT
BASE_IMAGE=cluster-monitor/debian:bookworm
LOCAL=cluster-monitor/local
CM_IMAGE=${CM_IMAGE:-cluster-monitor:local}
TEST_LABEL=${CM_TEST_LABEL:-io.clustermonitor.test}
HEALTH_TIMEOUT=${CM_STACK_HEALTH_TIMEOUT:-120}

API_PORT=${CM_API_PORT:-3001}
CONTAINER_PORT=${CM_CONTAINER_EXPORTER_PORT:-8081}
NODE_PORT=${CM_NODE_EXPORTER_PORT:-9100}
PGX_PORT=${CM_POSTGRES_EXPORTER_PORT:-9187}
REDISX_PORT=${CM_REDIS_EXPORTER_PORT:-9121}
PROM_PORT=${PROMETHEUS_PORT:-9090}
AM_PORT=${ALERTMANAGER_PORT:-9093}
PG_PORT=${CM_POSTGRES_PORT:-5432}
REDIS_PORT=${CM_REDIS_PORT:-6379}
# The services started here: all of docker-compose.yml but Grafana and MinIO (not in Debian).
SERVICES=(postgres redis alertmanager prometheus api-proxy container-exporter node-exporter
  postgres-exporter redis-exporter)

log() { printf '[stack] %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
docker() { if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else command docker "$@"; fi; }
compose() {
  docker-compose --compatibility -p "$PROJECT" --project-directory "$ROOT/compose" \
    --env-file "$STATE/env" -f "$STATE/docker-compose.yml" -f "$STATE/override.yml" "$@"
}

# --- build ---------------------------------------------------------------------------------------

# The Debian base: debootstrap once into $CACHE/rootfs (kept), docker import whenever the image is
# missing. A lock keeps two runs from bootstrapping at once.
ensure_base() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  mkdir -p "$CACHE"
  exec 9>"$CACHE/rootfs.lock"
  flock 9
  if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    if [ ! -x "$CACHE/rootfs/bin/sh" ]; then
      command -v debootstrap >/dev/null || die "debootstrap is not installed (scripts/lib-env.sh ensure_stack_tools)"
      local mirror
      mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
      mirror=${mirror:-http://deb.debian.org/debian}
      log "debootstrap bookworm from $mirror (once; cached in $CACHE/rootfs)"
      rm -rf "$CACHE/rootfs.tmp"
      debootstrap --variant=minbase bookworm "$CACHE/rootfs.tmp" "$mirror" >"$CACHE/debootstrap.log" 2>&1 \
        || die "debootstrap failed (see $CACHE/debootstrap.log)"
      rm -rf "$CACHE/rootfs.tmp/var/cache/apt/archives/"*.deb "$CACHE/rootfs.tmp/var/lib/apt/lists/"*
      mv "$CACHE/rootfs.tmp" "$CACHE/rootfs"
    fi
    log "importing $BASE_IMAGE"
    tar -C "$CACHE/rootfs" -c . | docker import -c 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
  fi
  flock -u 9
}

# A static busybox as an image with /bin/busybox (the probe stage of compose/Dockerfile).
ensure_busybox() {
  docker image inspect "$LOCAL-busybox:bookworm" >/dev/null 2>&1 && return 0
  local bb d
  bb=$(command -v busybox) || die "busybox is not installed (busybox-static)"
  file -L "$bb" 2>/dev/null | grep -q 'statically linked' || [ "$(ldd "$bb" 2>&1 | grep -c 'not a dynamic')" = 1 ] \
    || die "$bb is not a static busybox (install busybox-static)"
  d=$(mktemp -d)
  mkdir -p "$d/bin"
  cp "$bb" "$d/bin/busybox"
  ln -s busybox "$d/bin/sh"
  tar -C "$d" -c . | docker import -c 'CMD ["/bin/sh"]' - "$LOCAL-busybox:bookworm" >/dev/null
  rm -rf "$d"
}

build_local() { # name: compose/local/<name>/Dockerfile -> cluster-monitor/local-<name>:bookworm
  log "building $LOCAL-$1:bookworm"
  docker build -q --network host --build-arg BASE="$BASE_IMAGE" -t "$LOCAL-$1:bookworm" "compose/local/$1" >/dev/null \
    || die "building compose/local/$1 failed"
}

cmd_build() {
  local t0=$SECONDS jar=cluster-monitor-examples/target/cluster-monitor.jar
  ensure_base
  ensure_busybox
  for s in jre prometheus alertmanager postgres redis; do build_local "$s"; done
  if [ ! -s "$jar" ] || [ ! -s "$(dirname "$jar")/cluster-monitor-exporters.jar" ]; then
    log "building $jar"
    ./mvnw -B -q -pl cluster-monitor-examples -am package -DskipTests -Dspotless.check.skip=true
  fi
  # A context with only what compose/Dockerfile copies: the POMs, LICENSE, NOTICE, the probe and the
  # jar already built (PREBUILT_JAR skips the Maven build inside the image).
  local ctx
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' RETURN
  cp -r mvnw pom.xml LICENSE NOTICE .mvn "$ctx/"
  for m in cluster-monitor-bom cluster-monitor-core cluster-monitor-exporters cluster-monitor-examples; do
    mkdir -p "$ctx/$m"; cp "$m/pom.xml" "$ctx/$m/"
  done
  mkdir -p "$ctx/compose" "$ctx/prebuilt"
  cp compose/Dockerfile compose/probe.sh "$ctx/compose/"
  mkdir -p "$ctx/cluster-monitor-examples/src/main/dist/bin"
  cp cluster-monitor-examples/src/main/dist/bin/cluster-monitor "$ctx/cluster-monitor-examples/src/main/dist/bin/"
  cp "$jar" "$ctx/prebuilt/cluster-monitor.jar"
  cp "$(dirname "$jar")/cluster-monitor-exporters.jar" "$ctx/prebuilt/"
  log "building $CM_IMAGE from compose/Dockerfile"
  docker build -q --network host -f "$ctx/compose/Dockerfile" \
    --build-arg BUILD_IMAGE="$BASE_IMAGE" --build-arg PROBE_IMAGE="$LOCAL-busybox:bookworm" \
    --build-arg RUNTIME_IMAGE="$LOCAL-jre:bookworm" --build-arg PREBUILT_JAR=prebuilt/cluster-monitor.jar \
    -t "$CM_IMAGE" "$ctx" >/dev/null || die "building $CM_IMAGE failed"
  log "build done in $((SECONDS - t0)) s"
}

# --- up ------------------------------------------------------------------------------------------

docker_gid() { stat -c %g /var/run/docker.sock 2>/dev/null || getent group docker | cut -d: -f3; }

write_state() {
  mkdir -p "$STATE"
  local gid
  gid=$(docker_gid)
  [ -n "$gid" ] || die "cannot find the group id of /var/run/docker.sock"
  cat >"$STATE/env" <<EOF
DOCKER_GID=$gid
CM_IMAGE=$CM_IMAGE
PROMETHEUS_VERSION=bookworm
ALERTMANAGER_VERSION=bookworm
POSTGRES_VERSION=bookworm
REDIS_VERSION=bookworm
EOF
  # prometheus.yml with the same jobs, targets on this machine's loopback ports, and without the
  # jobs of the services that are not started here (Grafana, MinIO).
  sed -e "s/\"alertmanager:9093\"/\"127.0.0.1:$AM_PORT\"/; s/\"container-exporter:8081\"/\"127.0.0.1:$CONTAINER_PORT\"/" \
    -e "s/\"node-exporter:9100\"/\"127.0.0.1:$NODE_PORT\"/; s/\"postgres-exporter:9187\"/\"127.0.0.1:$PGX_PORT\"/" \
    -e "s/\"redis-exporter:9121\"/\"127.0.0.1:$REDISX_PORT\"/; s/\"localhost:9090\"/\"127.0.0.1:$PROM_PORT\"/" \
    -e "s#http://api-proxy:3001/#http://127.0.0.1:$API_PORT/#" compose/prometheus.yml \
    | awk '/^  - job_name: (grafana|minio)$/{skip=1; next} /^  - job_name:/{skip=0} /^  # (MINIO|---)/{if(skip) next} !skip' \
      >"$STATE/prometheus.yml"
  grep -q "127.0.0.1:$REDISX_PORT" "$STATE/prometheus.yml" || die "could not derive prometheus.yml"
  # The real docker-compose.yml less its `ports:` lists: docker-compose 1.29 refuses published ports
  # with network_mode: host and an override cannot remove a list. Everything else is the user's file.
  awk '/^    ports:$/{skip=1; next} skip && /^      - /{next} {skip=0; print}' compose/docker-compose.yml \
    >"$STATE/docker-compose.yml"
  grep -q '^    ports:' "$STATE/docker-compose.yml" && die "could not drop the ports of docker-compose.yml"
  # rslave needs / to be a shared or slave mount: it is on a normal host, not inside the sandbox
  # this may run in; only there is the root filesystem mounted without it.
  local NODE_ROOT_VOLUME=""
  if [ "$(findmnt -no PROPAGATION / 2>/dev/null)" = private ]; then
    NODE_ROOT_VOLUME="    volumes:
      - /:/host/root:ro"
  fi
  local L="      $TEST_LABEL: \"true\"
      io.clustermonitor.stack: \"$PROJECT\""
  cat >"$STATE/override.yml" <<EOF
# Generated by scripts/stack.sh for this machine only: no bridge networks (network_mode: host, and
# the project's default network is the existing host network, so none is created), every service on
# its own loopback port, the services' host names replaced by 127.0.0.1.
networks:
  default:
    name: host
    external: true
services:
  api-proxy:
    image: $CM_IMAGE
    container_name: $PROJECT-api-proxy
    network_mode: host
    labels:
$L
    command: ["api-proxy", "--listen", "127.0.0.1:$API_PORT"]
    healthcheck:
      test: ["CMD", "/app/bin/probe", "http://127.0.0.1:$API_PORT/health"]
  container-exporter:
    image: $CM_IMAGE
    container_name: $PROJECT-container-exporter
    network_mode: host
    labels:
$L
    command: ["container-exporter", "--listen", "127.0.0.1:$CONTAINER_PORT",
              "--disable_metrics=memory_numa,tcp,udp,advtcp,sched,hugetlb,referenced_memory,cpu_topology,resctrl,cpuset"]
    healthcheck:
      test: ["CMD", "/app/bin/probe", "http://127.0.0.1:$CONTAINER_PORT/health"]
  node-exporter:
    image: $CM_IMAGE
    container_name: $PROJECT-node-exporter
    network_mode: host
    labels:
$L
    command: ["node-exporter", "--listen", "127.0.0.1:$NODE_PORT",
              "--path.procfs", "/host/proc", "--path.sysfs", "/host/sys", "--path.rootfs", "/host/root"]
$NODE_ROOT_VOLUME
    healthcheck:
      test: ["CMD", "/app/bin/probe", "http://127.0.0.1:$NODE_PORT/health"]
  postgres-exporter:
    image: $CM_IMAGE
    container_name: $PROJECT-postgres-exporter
    network_mode: host
    labels:
$L
    command: ["postgres-exporter", "--listen", "127.0.0.1:$PGX_PORT", "--collector.postmaster"]
    environment:
      DATA_SOURCE_URI: "127.0.0.1:$PG_PORT/app?sslmode=disable"
    healthcheck:
      test: ["CMD", "/app/bin/probe", "http://127.0.0.1:$PGX_PORT/metrics", "pg_up"]
  redis-exporter:
    image: $CM_IMAGE
    container_name: $PROJECT-redis-exporter
    network_mode: host
    labels:
$L
    command: ["redis-exporter", "--listen", "127.0.0.1:$REDISX_PORT"]
    environment:
      REDIS_ADDR: "redis://127.0.0.1:$REDIS_PORT"
    healthcheck:
      test: ["CMD", "/app/bin/probe", "http://127.0.0.1:$REDISX_PORT/metrics", "redis_up"]
  prometheus:
    image: $LOCAL-prometheus:bookworm
    container_name: $PROJECT-prometheus
    network_mode: host
    labels:
$L
    command:
      - --config.file=/etc/prometheus/prometheus.yml
      - --storage.tsdb.path=/prometheus
      - --storage.tsdb.retention.time=1d
      - --web.enable-lifecycle
      - --web.listen-address=127.0.0.1:$PROM_PORT
    volumes:
      - $STATE/prometheus.yml:/etc/prometheus/prometheus.yml:ro
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:$PROM_PORT/-/ready"]
  alertmanager:
    image: $LOCAL-alertmanager:bookworm
    container_name: $PROJECT-alertmanager
    network_mode: host
    labels:
$L
    command:
      - --config.file=/etc/alertmanager/alertmanager.yml
      - --storage.path=/alertmanager
      - --web.listen-address=127.0.0.1:$AM_PORT
      - --cluster.listen-address=
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:$AM_PORT/-/ready"]
  postgres:
    image: $LOCAL-postgres:bookworm
    container_name: $PROJECT-postgres
    network_mode: host
    labels:
$L
    command: ["postgres", "-c", "listen_addresses=127.0.0.1", "-c", "port=$PG_PORT"]
    environment:
      PGPORT: "$PG_PORT"
  redis:
    image: $LOCAL-redis:bookworm
    container_name: $PROJECT-redis
    network_mode: host
    labels:
$L
    command:
      - sh
      - -c
      - >-
        umask 077 &&
        printf 'requirepass "%s"\\n' "\$\$(cat /run/secrets/redis_password)" > /tmp/redis.conf &&
        exec redis-server /tmp/redis.conf --dir /data --save 3600 1 --appendonly no
        --maxmemory 256mb --maxmemory-policy allkeys-lru --bind 127.0.0.1 --port $REDIS_PORT
    healthcheck:
      test: ["CMD-SHELL", "REDISCLI_AUTH=\"\$\$(cat /run/secrets/redis_password)\" redis-cli -p $REDIS_PORT ping | grep -q PONG"]
EOF
}

cmd_up() {
  command -v docker-compose >/dev/null || die "docker-compose is not installed"
  docker image inspect "$CM_IMAGE" >/dev/null 2>&1 || die "$CM_IMAGE is missing: run scripts/stack.sh build"
  compose/secrets/create-secrets.sh >/dev/null
  write_state
  log "starting project $PROJECT: ${SERVICES[*]}"
  compose up -d --no-build "${SERVICES[@]}" >"$STATE/up.log" 2>&1 || { cat "$STATE/up.log" >&2; die "docker-compose up failed"; }
}

# --- test ----------------------------------------------------------------------------------------

containers() { docker ps -aq --filter "label=com.docker.compose.project=$PROJECT"; }

cmd_test() {
  local t0=$SECONDS
  [ -f "$STATE/override.yml" ] || die "the stack is not up (scripts/stack.sh up)"
  log "waiting up to ${HEALTH_TIMEOUT}s for every service to be healthy"
  CM_PROJECT=$PROJECT CM_EXPECTED="${SERVICES[*]}" CM_HEALTH_TIMEOUT=$HEALTH_TIMEOUT \
    CM_PROM="http://127.0.0.1:$PROM_PORT" CM_AM="http://127.0.0.1:$AM_PORT" CM_RULES="$ROOT/compose/rules" \
    CM_DASHBOARDS="$ROOT/compose/grafana/dashboards" CM_COMPOSE="$ROOT/compose/docker-compose.yml" \
    CM_API_PORT=$API_PORT CM_CONTAINER_PORT=$CONTAINER_PORT CM_NODE_PORT=$NODE_PORT CM_PGX_PORT=$PGX_PORT \
    CM_REDISX_PORT=$REDISX_PORT \
    python3 "$ROOT/scripts/stack_check.py" || die "the stack check failed (logs: docker logs $PROJECT-<service>)"
  log "test done in $((SECONDS - t0)) s"
}

# --- down ----------------------------------------------------------------------------------------

cmd_down() {
  local id v
  for id in $(containers); do
    timeout 60 docker rm -f -v "$id" >/dev/null || log "could not remove container $id"
  done
  for v in $(docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT"); do
    timeout 60 docker volume rm "$v" >/dev/null || log "could not remove volume $v"
  done
  rm -rf "$STATE"
  log "project $PROJECT removed"
}

[ $# -gt 0 ] || { sed -n '2,22p' "$0"; exit 2; }
for c in "$@"; do
  case $c in
    build) cmd_build ;;
    up) cmd_up ;;
    test) cmd_test ;;
    down) cmd_down ;;
    *) die "unknown command $c (build, up, test, down)" ;;
  esac
done
