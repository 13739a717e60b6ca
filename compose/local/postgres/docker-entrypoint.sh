#!/bin/sh
# Entry point of the local PostgreSQL stand-in image: on an empty data directory, initdb with the
# superuser POSTGRES_USER (password from POSTGRES_PASSWORD_FILE), create POSTGRES_DB, run
# /docker-entrypoint-initdb.d/*.sh against a server listening on its unix socket only; then run the
# command (postgres ...). Local socket connections are trusted, TCP needs scram-sha-256.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=${POSTGRES_PASSWORD_FILE:?POSTGRES_PASSWORD_FILE is required}
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" -w start >/dev/null
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 -q -h /var/run/postgresql -U "$POSTGRES_USER" -d postgres \
      --set=db="$POSTGRES_DB" <<'SQL'
CREATE DATABASE :"db";
SQL
  fi
  for f in /docker-entrypoint-initdb.d/*.sh; do
    [ -f "$f" ] || continue
    echo "running $f"
    PGHOST=/var/run/postgresql sh "$f"
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "initialised $PGDATA"
fi
exec "$@"
