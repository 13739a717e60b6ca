#!/bin/sh
# Runs once, when the postgres container initialises an empty data directory: creates the role the
# exporter logs in with. pg_monitor grants read access to the statistics views and nothing else.
set -eu
password=$(cat "${POSTGRES_MONITOR_PASSWORD_FILE:?}")
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=monitor_user="${POSTGRES_MONITOR_USER:-monitor}" --set=monitor_password="$password" <<'SQL'
CREATE ROLE :"monitor_user" LOGIN PASSWORD :'monitor_password' IN ROLE pg_monitor;
SQL
