#!/app/bin/busybox sh
# Health-check probe of the cluster-monitor image (/app/bin/probe): a static busybox, no JVM.
#
#   probe URL            exit 0 when URL answers 2xx, 1 otherwise (Docker's healthcheck timeout bounds it)
#   probe URL METRIC     also read URL as Prometheus text: exit 0 only when the sample METRIC is 1
#                        (e.g. pg_up, redis_up: the exporter reaches its target). On failure the
#                        exporter's own *_up and *last_scrape_error lines are printed, which Docker
#                        keeps in `docker inspect` (State.Health.Log) as the reason.
# BUSYBOX overrides the busybox binary (tests run this script on the host). No wget -T: Debian's
# static busybox 1.35 segfaults with it inside a container.
bb=${BUSYBOX:-/app/bin/busybox}
url=${1:?usage: probe URL [METRIC]}
metric=${2:-}
if [ -z "$metric" ]; then
  exec "$bb" wget -q -O /dev/null "$url"
fi
body=$("$bb" wget -q -O - "$url") || { echo "no answer from $url"; exit 1; }
if printf '%s\n' "$body" | "$bb" grep -q "^$metric 1\$"; then
  exit 0
fi
printf '%s\n' "$body" | "$bb" grep -E "^($metric|[a-z_]*last_scrape_error)[ {]" | "$bb" head -n 5
echo "$metric is not 1 at $url"
exit 1
