#!/usr/bin/env bash
# Shared helpers for scripts/test.sh and scripts/bench.sh: install and start what the tests need.
# Everything listens on loopback only. Each ensure_* function records what it started so stop_started
# can end exactly those processes (by PID) and nothing else.

CM_STATE_DIR=${CM_STATE_DIR:-/tmp/cluster-monitor-env}
CM_TEST_LABEL=io.clustermonitor.test
CM_TEST_IMAGE=cluster-monitor/busybox:test
mkdir -p "$CM_STATE_DIR"

log() { printf '[env] %s\n' "$*" >&2; }
fail_or_skip() {
  if [ "${CI:-}" = "true" ] || [ "${CM_REQUIRE_SERVICES:-}" = "1" ]; then
    log "FATAL: $*"; exit 1
  fi
  log "WARNING: $*"
}

is_debian_root() { [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ]; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  is_debian_root || { fail_or_skip "missing packages: ${missing[*]} (not Debian root, cannot install)"; return 1; }
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d keeps Debian from auto-starting services: we start them ourselves on loopback.
  if [ ! -f /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; CM_POLICY_ADDED=1; fi
  apt-get install -y -q --no-install-recommends "${missing[@]}" >"$CM_STATE_DIR/apt.log" 2>&1 \
    || { apt-get update -q >>"$CM_STATE_DIR/apt.log" 2>&1 && apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$CM_STATE_DIR/apt.log" 2>&1; } \
    || { fail_or_skip "apt-get install ${missing[*]} failed (see $CM_STATE_DIR/apt.log)"; return 1; }
  [ "${CM_POLICY_ADDED:-}" = 1 ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

wait_for() { # wait_for SECONDS command...
  local t=$1; shift
  local end=$((SECONDS + t))
  while [ $SECONDS -lt $end ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}

started() { echo "$1 $2" >>"$CM_STATE_DIR/started.$$"; } # name pid

# A binary path, not a function, so that `timeout` can run it.
docker_bin() { if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else command -v docker; fi; }
docker_cli() { "$(docker_bin)" "$@"; }

ensure_docker() {
  rm -f "$CM_STATE_DIR/dockerd.pid" # only a dockerd started by this run is ever stopped
  if [ -n "${DOCKER_HOST:-}" ] && docker_cli version >/dev/null 2>&1; then log "using DOCKER_HOST=$DOCKER_HOST"; return 0; fi
  if [ -S /var/run/docker.sock ] && docker_cli -H unix:///var/run/docker.sock version >/dev/null 2>&1; then
    log "using /var/run/docker.sock"; return 0
  fi
  apt_install docker.io busybox-static || return 1
  log "starting dockerd"
  dockerd --bridge=none --iptables=false --ip-masq=false >"$CM_STATE_DIR/dockerd.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$CM_STATE_DIR/dockerd.pid"
  wait_for 60 docker_cli -H unix:///var/run/docker.sock version || { fail_or_skip "dockerd did not come up (see $CM_STATE_DIR/dockerd.log)"; return 1; }
  log "dockerd up (pid $pid)"
}

ensure_test_image() {
  docker_cli image inspect "$CM_TEST_IMAGE" >/dev/null 2>&1 && return 0
  apt_install busybox-static || return 1
  local d; d=$(mktemp -d)
  mkdir -p "$d/bin" "$d/tmp" "$d/proc" "$d/sys" "$d/dev" "$d/etc"
  cp /bin/busybox "$d/bin/"
  for c in sh sleep yes cat echo ls httpd nc dd head tail wc grep true false kill ps env mkdir rm; do ln -s busybox "$d/bin/$c"; done
  echo 'root:x:0:0:root:/:/bin/sh' >"$d/etc/passwd"
  tar -C "$d" -c . | docker_cli import -c 'CMD ["sh"]' - "$CM_TEST_IMAGE" >/dev/null
  rm -rf "$d"
  log "imported $CM_TEST_IMAGE"
}

# One at a time: concurrent container exits on one network can deadlock Debian's dockerd 20.10.24
# (moby#46661, fixed upstream in libnetwork#2679 but not in bookworm's package).
remove_test_containers() {
  local id
  local bin; bin=$(docker_bin) || return 0
  for id in $(timeout 30 "$bin" ps -aq --filter "label=$CM_TEST_LABEL" 2>/dev/null); do
    timeout 30 "$bin" rm -f "$id" >/dev/null 2>&1
  done
  return 0
}


stop_started() {
  local f="$CM_STATE_DIR/started.$$"
  # dockerd is stopped last, after everything that may still talk to it.
  if [ -f "$CM_STATE_DIR/dockerd.pid" ]; then
    { echo "dockerd $(cat "$CM_STATE_DIR/dockerd.pid")"; cat "$f" 2>/dev/null || true; } >"$f.new"
    mv "$f.new" "$f"
    rm -f "$CM_STATE_DIR/dockerd.pid"
  fi
  [ -f "$f" ] || return 0
  tac "$f" | while read -r name pid; do
    log "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$f"
  return 0
}

# PostgreSQL 15 on loopback with a password-protected user; exports CM_TEST_PG_*.
CM_PG_PORT=${CM_PG_PORT:-55432}
ensure_postgres() {
  export CM_TEST_PG_HOST=127.0.0.1 CM_TEST_PG_PORT=$CM_PG_PORT CM_TEST_PG_USER=cmtest CM_TEST_PG_PASSWORD=cmtest-secret-pw CM_TEST_PG_DB=cmtest
  if PGPASSWORD=$CM_TEST_PG_PASSWORD psql -h 127.0.0.1 -p "$CM_PG_PORT" -U cmtest -d cmtest -c 'select 1' >/dev/null 2>&1; then
    log "using PostgreSQL on 127.0.0.1:$CM_PG_PORT"; return 0
  fi
  apt_install postgresql || return 1
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  local dir="$CM_STATE_DIR/pgdata"
  rm -rf "$dir"; mkdir -p "$dir"; chown postgres "$dir" "$CM_STATE_DIR"
  echo postgres-admin-pw >"$CM_STATE_DIR/pgpw"; chown postgres "$CM_STATE_DIR/pgpw"
  su postgres -s /bin/sh -c "$bin/initdb -D $dir -U postgres -A scram-sha-256 --pwfile=$CM_STATE_DIR/pgpw" >"$CM_STATE_DIR/initdb.log" 2>&1 \
    || { fail_or_skip "initdb failed (see $CM_STATE_DIR/initdb.log)"; return 1; }
  su postgres -s /bin/sh -c "$bin/postgres -D $dir -c listen_addresses=127.0.0.1 -p $CM_PG_PORT -c unix_socket_directories=$dir -c max_connections=50" >"$CM_STATE_DIR/postgres.log" 2>&1 &
  local supid=$! pid
  PGPASSWORD=postgres-admin-pw wait_for 60 psql -h 127.0.0.1 -p "$CM_PG_PORT" -U postgres -d postgres -c 'select 1' \
    || { kill "$supid" 2>/dev/null; fail_or_skip "PostgreSQL did not come up (see $CM_STATE_DIR/postgres.log)"; return 1; }
  # The postmaster, not su: signalling su would leave the server running.
  pid=$(head -1 "$dir/postmaster.pid")
  started postgres "$pid"
  PGPASSWORD=postgres-admin-pw psql -q -h 127.0.0.1 -p "$CM_PG_PORT" -U postgres -d postgres \
    -c "create role cmtest login password '$CM_TEST_PG_PASSWORD' in role pg_monitor" -c "create database cmtest owner cmtest" >/dev/null
  export CM_TEST_PG_ADMIN_PASSWORD=postgres-admin-pw CM_TEST_PG_DATA=$dir CM_TEST_PG_BIN=$bin
  log "PostgreSQL up on 127.0.0.1:$CM_PG_PORT (pid $pid)"
}

# Redis 7 on loopback; exports CM_TEST_REDIS_*.
CM_REDIS_PORT=${CM_REDIS_PORT:-56379}
ensure_redis() {
  export CM_TEST_REDIS_HOST=127.0.0.1 CM_TEST_REDIS_PORT=$CM_REDIS_PORT
  if redis-cli -h 127.0.0.1 -p "$CM_REDIS_PORT" ping >/dev/null 2>&1; then log "using Redis on 127.0.0.1:$CM_REDIS_PORT"; return 0; fi
  apt_install redis-server || return 1
  redis-server --bind 127.0.0.1 --port "$CM_REDIS_PORT" --save '' --appendonly no --dir "$CM_STATE_DIR" >"$CM_STATE_DIR/redis.log" 2>&1 &
  local pid=$!
  started redis "$pid"
  wait_for 30 redis-cli -h 127.0.0.1 -p "$CM_REDIS_PORT" ping || { fail_or_skip "Redis did not come up"; return 1; }
  log "Redis up on 127.0.0.1:$CM_REDIS_PORT (pid $pid)"
}

# Reference tools used by tests (promtool, prometheus, alertmanager, the Go exporters, docker-compose).
ensure_tools() {
  apt_install prometheus prometheus-alertmanager prometheus-node-exporter prometheus-postgres-exporter \
    prometheus-redis-exporter docker-compose apache2-utils openssl chromium chromium-driver \
    btrfs-progs || return 1
  ensure_stack_tools
}

# Netdata (Debian 1.37) for scripts/bench.sh footprint: the peer the monitor is measured against.
# Only installed here; the benchmark starts its own process with a generated config (loopback only,
# no cloud, registry or anonymous statistics) and stops it by PID. policy-rc.d (apt_install) keeps
# the package's service from starting.
ensure_netdata() {
  apt_install netdata || return 1
  command -v netdata >/dev/null 2>&1 || [ -x /usr/sbin/netdata ] || { fail_or_skip "netdata installed but no binary"; return 1; }
}

# What scripts/stack.sh needs to build the compose stack without a registry: debootstrap for the
# Debian base image (made once, cached under /var/tmp/cluster-monitor), a static busybox for the
# health-check probe, PyYAML and util-linux (findmnt, flock) for the checks.
ensure_stack_tools() {
  apt_install debootstrap busybox-static python3-yaml util-linux docker-compose || return 1
}
