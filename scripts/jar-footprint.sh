#!/usr/bin/env bash
# Runtime footprint a service takes on by embedding us: jar count and MiB for core alone, for
# core + exporters (optional dependencies and what they bring left out: the JDBC driver, the Redis
# client and core's JUnit extension come only with the service's own declaration), and the runnable
# jar. Builds the jars (no tests), reads `dependency:tree` (runtime scope) and prints the Markdown
# table docs/embedding.md shows.
# Usage: scripts/jar-footprint.sh [-o]   (-o: Maven offline)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q "$@" -pl cluster-monitor-examples -am package dependency:tree \
  -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -Dscope=runtime -DoutputFile=target/runtime-tree.txt -DappendOutput=false >&2

python3 - "${MAVEN_REPO:-$HOME/.m2/repository}" <<'PY'
import os, re, sys
repo = sys.argv[1]

def jars(module):
    """The module's jar and its runtime dependencies that a user gets, as file paths."""
    files = set()
    skip_below = None
    lines = open(f"{module}/target/runtime-tree.txt").read().splitlines()
    for line in lines[1:]:
        m = re.match(r"^([| ]*[+\\]- )(\S+)(.*)$", line)
        if not m:
            continue
        depth = len(m.group(1)) // 3
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = None
        if "(optional)" in m.group(3):
            skip_below = depth
            continue
        g, a, t, v = m.group(2).split(":")[:4]
        if t != "jar":
            continue
        if g == "io.clustermonitor":
            files.add(f"{a}/target/{a}-{v}.jar")
        else:
            files.add(os.path.join(repo, *g.split("."), a, v, f"{a}-{v}.jar"))
    files.add(f"{module}/target/{module}-{lines[0].split(':')[3]}.jar")
    return files

def mib(files):
    return sum(os.path.getsize(f) for f in files) / 1048576

print("| what a service gets | runtime jars | MiB |")
print("| --- | ---: | ---: |")
core = jars("cluster-monitor-core")
print(f"| cluster-monitor-core | {len(core)} | {mib(core):.1f} |")
# the reactor's tree shows a module it depends on as a leaf: add that module's own tree
both = jars("cluster-monitor-exporters") | core
print(f"| cluster-monitor-core + cluster-monitor-exporters | {len(both)} | {mib(both):.1f} |")
fat = "cluster-monitor-examples/target/cluster-monitor.jar"
inside = len(jars("cluster-monitor-examples") | both) - 1
print(f"| cluster-monitor.jar (runnable; {inside} jars inside) | 1 | {mib([fat]):.1f} |")
PY
