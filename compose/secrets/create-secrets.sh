#!/bin/sh
# Creates every secret docker-compose.yml refers to, with random values, unless it already exists.
# Files are readable by the containers' non-root users (0644) inside this directory (0700).
set -eu
cd "$(dirname "$0")"
chmod 0700 .
umask 022
for name in postgres_password postgres_monitor_password redis_password grafana_admin_password minio_root_password; do
  [ -s "$name" ] || { head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32 >"$name"; echo "created secrets/$name"; }
done
[ -s minio_root_user ] || { printf 'cluster-monitor' >minio_root_user; echo "created secrets/minio_root_user"; }
