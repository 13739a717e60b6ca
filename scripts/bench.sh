#!/usr/bin/env bash
# Runs one benchmark: scripts/bench.sh <name> [args...] executes scripts/bench/<name>.sh.
# Each benchmark writes median + spread + a same-run baseline into its own section of
# docs/benchmarks.md. Benchmarks are not tests: run them by hand on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-}
if [ -z "$name" ] || [ ! -f "scripts/bench/$name.sh" ]; then
  echo "usage: scripts/bench.sh <name> [args...]; available:" >&2
  for f in scripts/bench/*.sh; do [ -e "$f" ] && echo "  $(basename "$f" .sh)" >&2; done
  exit 2
fi
shift
exec bash "scripts/bench/$name.sh" "$@"
