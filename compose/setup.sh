#!/bin/sh
# First step on a new host: writes .env from .env.example with DOCKER_GID set to the group that owns
# the Docker socket (the non-root api-proxy and container-exporter join it to open the socket), and
# creates the missing secrets. An existing .env is kept; only a missing DOCKER_GID line is added.
set -eu
cd "$(dirname "$0")"
sock=${DOCKER_SOCKET:-/var/run/docker.sock}
gid=$(stat -c %g "$sock" 2>/dev/null || getent group docker | cut -d: -f3)
[ -n "$gid" ] || { echo "cannot find the group of $sock; set DOCKER_GID in .env by hand" >&2; exit 1; }
[ -f .env ] || { cp .env.example .env; echo "created .env"; }
if grep -q '^DOCKER_GID=' .env; then
  echo "keeping $(grep '^DOCKER_GID=' .env) in .env (the socket's group is $gid)"
else
  printf 'DOCKER_GID=%s\n' "$gid" >>.env
  echo "DOCKER_GID=$gid written to .env"
fi
./secrets/create-secrets.sh
