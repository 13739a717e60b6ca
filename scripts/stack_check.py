#!/usr/bin/env python3
"""Checks a running compose/ stack (scripts/stack.sh test). Standard library only, plus PyYAML,
which Debian's docker-compose depends on. Settings come from the environment (set by stack.sh).

Prints one line per check; exits 1 on the first failure, with the reason.
"""
import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import yaml

PROJECT = os.environ["CM_PROJECT"]
EXPECTED = os.environ["CM_EXPECTED"].split()
HEALTH_TIMEOUT = int(os.environ.get("CM_HEALTH_TIMEOUT", "120"))
PROM = os.environ["CM_PROM"]
AM = os.environ["CM_AM"]
RULES = os.environ["CM_RULES"]
DASHBOARDS = os.environ["CM_DASHBOARDS"]
COMPOSE = os.environ["CM_COMPOSE"]
DOCKER = "/usr/bin/docker" if os.access("/usr/bin/docker", os.X_OK) else "docker"
OUR_SERVICES = ["api-proxy", "container-exporter", "node-exporter", "postgres-exporter", "redis-exporter"]

# Alert rules whose "data present" form (every comparison turned into `bool`) returns nothing on a
# fresh single-host stack, each with the reason. Anything not listed must return data.
NO_DATA_HERE = {
    "ContainerAbsent": "fires for containers seen in the last 15 minutes that are gone: none are",
    "ContainerDown": "reads stopped containers (exit code != 0): none here",
}


def log(msg):
    print(f"[check] {msg}", flush=True)


def fail(msg):
    print(f"[check] FAIL: {msg}", flush=True)
    sys.exit(1)


def docker(*args, check=True):
    r = subprocess.run([DOCKER, *args], capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        fail(f"docker {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


def get_json(url, timeout=15):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.load(r)


def query(expr):
    url = f"{PROM}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        body = get_json(url)
    except urllib.error.HTTPError as e:
        return "error", json.load(e).get("error", str(e))
    return body["status"], body["data"]["result"]


def wait(what, timeout, probe, interval=3):
    """Calls probe() until it returns a true value (returned) or timeout seconds pass (fails)."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            ok, last = probe()
        except (OSError, ValueError) as e:
            ok, last = False, repr(e)
        if ok:
            return last
        time.sleep(interval)
    fail(f"{what} within {timeout}s: {last}")


def inspect_all():
    ids = docker("ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}").split()
    if not ids:
        return {}
    out = {}
    for c in json.loads(docker("inspect", *ids)):
        out[c["Config"]["Labels"].get("com.docker.compose.service", c["Name"])] = c
    return out


def check_healthy():
    t0 = time.monotonic()

    def probe():
        cs = inspect_all()
        missing = [s for s in EXPECTED if s not in cs]
        if missing:
            return False, f"missing {missing}"
        states = {}
        for s, c in cs.items():
            st = c["State"]
            if st["Status"] != "running":
                fail(f"{s} is {st['Status']} (exit {st.get('ExitCode')}): docker logs {c['Name'][1:]}")
            states[s] = st.get("Health", {}).get("Status", "none")
        bad = {s: h for s, h in states.items() if h != "healthy"}
        if bad:
            reasons = {s: (cs[s]["State"].get("Health", {}).get("Log") or [{}])[-1].get("Output", "").strip()[:200]
                       for s in bad}
            return False, f"not healthy yet: {bad} {reasons}"
        return True, states

    wait("every service healthy", HEALTH_TIMEOUT, probe, interval=2)
    log(f"all {len(EXPECTED)} services healthy by Docker's healthcheck after {time.monotonic() - t0:.0f}s")


def check_containers():
    cs = inspect_all()
    gid = str(os.stat("/var/run/docker.sock").st_gid)
    for s, c in cs.items():
        hc = c["HostConfig"]
        if hc.get("NetworkMode") != "host":
            fail(f"{s} is not on the host network ({hc.get('NetworkMode')})")
        if not hc.get("Memory") or not (hc.get("NanoCpus") or hc.get("CpuQuota")):
            fail(f"{s} has no memory or CPU limit applied (Memory={hc.get('Memory')}, NanoCpus={hc.get('NanoCpus')})")
        if hc.get("LogConfig", {}).get("Config", {}).get("max-size") != "10m":
            fail(f"{s} has no json-file log rotation")
    for s in OUR_SERVICES:
        c, hc = cs[s], cs[s]["HostConfig"]
        if not hc.get("ReadonlyRootfs"):
            fail(f"{s} root filesystem is writable")
        if hc.get("CapDrop") != ["ALL"]:
            fail(f"{s} keeps capabilities: {hc.get('CapDrop')}")
        if c["Config"].get("User") not in ("65532:65532", "65532"):
            fail(f"{s} runs as {c['Config'].get('User')!r}, not 65532")
        if s in ("api-proxy", "container-exporter") and gid not in (hc.get("GroupAdd") or []):
            fail(f"{s} is not in the socket's group {gid}: {hc.get('GroupAdd')}")
        if "/app/bin/probe" not in c["Config"]["Healthcheck"]["Test"]:
            fail(f"{s} health check is not the probe: {c['Config']['Healthcheck']['Test']}")
    image = cs["api-proxy"]["Config"]["Image"]
    for f in ("/app/LICENSE", "/app/NOTICE"):
        r = subprocess.run([DOCKER, "run", "--rm", "--network", "none", "--label", "io.clustermonitor.test=true",
                            "--entrypoint", "/app/bin/busybox", image, "test", "-s", f], timeout=120)
        if r.returncode != 0:
            fail(f"{f} is missing from {image}")
    log("limits, host network, log rotation on every service; read-only, no capabilities, uid 65532, "
        f"docker group {gid} on ours; LICENSE and NOTICE in the image")


def check_targets():
    def probe():
        active = get_json(f"{PROM}/api/v1/targets")["data"]["activeTargets"]
        jobs = {t["labels"]["job"] for t in active}
        need = {"containers", "node", "postgres", "redis", "prometheus", "alertmanager"}
        if not need <= jobs:
            return False, f"jobs {sorted(jobs)}"
        down = [(t["labels"]["job"], t["health"], t.get("lastError")) for t in active if t["health"] != "up"]
        return (not down), (down or len(active))

    n = wait("every Prometheus target up", 150, probe)
    log(f"Prometheus: {n} of {n} targets up")


def alerts_in_files():
    names = []
    for f in sorted(os.listdir(RULES)):
        if f.endswith(".yml"):
            for g in yaml.safe_load(open(os.path.join(RULES, f)))["groups"]:
                names += [(r["alert"], r["expr"]) for r in g["rules"] if "alert" in r]
    return names


COMPARISON = re.compile(r"(==|!=|>=|<=|>|<)(?!\s*bool)")


def data_present_form(expr):
    """The expression with every comparison outside {...}, [...] and strings turned into `bool`."""
    out, depth, quote = [], 0, None
    i = 0
    while i < len(expr):
        ch = expr[i]
        if quote:
            out.append(ch)
            if ch == quote and expr[i - 1] != "\\":
                quote = None
            i += 1
            continue
        if ch in "\"'`":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        if depth == 0 and not quote:
            m = COMPARISON.match(expr, i)
            if m:
                out.append(m.group(1) + " bool")
                i = m.end()
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def check_rules():
    expected = alerts_in_files()

    def probe():
        groups = get_json(f"{PROM}/api/v1/rules")["data"]["groups"]
        rules = {r["name"]: r for g in groups for r in g["rules"] if r["type"] == "alerting"}
        missing = [n for n, _ in expected if n not in rules]
        if missing:
            return False, f"not loaded: {missing}"
        bad = {n: (r["health"], r.get("lastError")) for n, r in rules.items() if r["health"] != "ok"}
        return (not bad), (bad or len(rules))

    n = wait("every alert rule loaded and evaluated without error", 90, probe)
    log(f"Prometheus: {n} alert rules loaded, each evaluated without error")
    # rate() and increase() need two samples in their window: the slowest jobs scrape every 30 s, so
    # the first minutes of a fresh stack are retried until each rule has data (or the time is up).
    empty = []

    def probe():
        empty.clear()
        for name, expr in expected:
            status, result = query(data_present_form(expr))
            if status != "success":
                fail(f"{name}: {result}")
            if not result:
                empty.append(name)
        unexplained = [n for n in empty if n not in NO_DATA_HERE]
        return (not unexplained), f"data-present form returns nothing: {unexplained}"

    wait("every alert rule with data", 180, probe, interval=10)
    log(f"{len(expected) - len(empty)} alert rules return data in data-present form; "
        f"no data here, by design: " + "; ".join(f"{n} ({NO_DATA_HERE[n]})" for n in empty))


GRAFANA_VARS = {
    "$__rate_interval": "1m", "$__interval": "30s", "$__range": "5m", "${__rate_interval}": "1m",
}


def check_dashboards():
    queries = []
    for f in sorted(os.listdir(DASHBOARDS)):
        d = json.load(open(os.path.join(DASHBOARDS, f)))
        for p in d.get("panels", []):
            for t in p.get("targets", []):
                queries.append((f, p.get("title", ""), t.get("expr", "")))
    empty = []
    for f, title, expr in queries:
        q = expr
        for k, v in GRAFANA_VARS.items():
            q = q.replace(k, v)
        q = re.sub(r'=~?\s*"\$\{?[A-Za-z_]+\}?"', '=~".*"', q)  # label matchers on a template variable
        q = re.sub(r"\$\{?[A-Za-z_]+\}?", "1", q)
        status, result = query(q)
        if status != "success":
            fail(f"dashboard {f} panel {title!r}: {result} (query {q})")
        if not result:
            empty.append(f"{f}: {title}")
    log(f"{len(queries)} dashboard panel queries valid, {len(queries) - len(empty)} with data"
        + (f"; without data here: {empty}" if empty else ""))
    return empty


def check_our_metrics():
    needed = {
        "containers": f'container_memory_usage_bytes{{name="{PROJECT}-prometheus"}}',
        "node": "node_cpu_seconds_total",
        "postgres": "pg_up == 1",
        "redis": "redis_up == 1",
        "containers health": f'container_health_state{{name="{PROJECT}-redis"}}',
    }
    # A target scraped once before its database was up reads 0 until the next scrape (30 s).
    def probe():
        missing = [f"{what}: {expr}" for what, expr in needed.items() if not query(expr)[1]]
        return (not missing), f"no data for {missing}"

    wait("our exporters' metrics", 90, probe, interval=5)
    log("our exporters' metrics present: " + ", ".join(needed.values()))


def am_alerts(name):
    return [a for a in get_json(f"{AM}/api/v2/alerts") if a["labels"].get("alertname") == name]


def prom_alerts(name):
    return [a for a in get_json(f"{PROM}/api/v1/alerts")["data"]["alerts"] if a["labels"].get("alertname") == name]


def check_redis_down():
    redis = f"{PROJECT}-redis"
    t0 = time.monotonic()
    docker("stop", "-t", "10", redis)
    try:
        wait("RedisDown at Alertmanager", 300, lambda: (bool(am_alerts("RedisDown")), prom_alerts("RedisDown")), 5)
        log(f"Redis stopped: RedisDown reached Alertmanager after {time.monotonic() - t0:.0f}s")
    finally:
        docker("start", redis)
    t1 = time.monotonic()
    wait("RedisDown cleared", 300,
         lambda: (not prom_alerts("RedisDown") and not am_alerts("RedisDown"), am_alerts("RedisDown")), 5)
    log(f"Redis started: RedisDown cleared in Prometheus and Alertmanager after {time.monotonic() - t1:.0f}s")


def check_read_only():
    """Mutating requests to every port of ours leave the engine unchanged: each is refused, and the
    engine reports no event on the project's containers but health checks."""
    cs = inspect_all()
    target = cs["redis"]["Id"]
    ports = {"api-proxy": os.environ["CM_API_PORT"], "container-exporter": os.environ["CM_CONTAINER_PORT"],
             "node-exporter": os.environ["CM_NODE_PORT"], "postgres-exporter": os.environ["CM_PGX_PORT"],
             "redis-exporter": os.environ["CM_REDISX_PORT"]}
    since = str(int(time.time()) - 1)
    paths = [f"/api/containers/{target}", f"/api/containers/{target}/stop", f"/api/containers/{target}/kill",
             f"/containers/{target}/stop", f"/v1.41/containers/{target}/stop", f"/containers/{target}",
             "/containers/create", "/metrics", "/health"]
    refused = 0
    for service, port in ports.items():
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            for path in paths:
                req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=b"{}", method=method,
                                             headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(req, timeout=15) as r:
                        fail(f"{method} {path} on {service} answered {r.status}")
                except urllib.error.HTTPError as e:
                    if e.code < 400:
                        fail(f"{method} {path} on {service} answered {e.code}")
                    refused += 1
                except (urllib.error.URLError, OSError, http.client.HTTPException):
                    refused += 1  # the connection closed without an answer: nothing was done either
    time.sleep(2)  # let the engine publish any event the requests caused
    until = str(int(time.time()))
    events = docker("events", "--since", since, "--until", until, "--filter",
                    f"label=com.docker.compose.project={PROJECT}", "--format",
                    "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}").splitlines()
    health = re.compile(r"^container (exec_create|exec_start|exec_die|health_status)")
    changes = [e for e in events if e and not health.match(e)]
    if changes:
        fail(f"engine events after mutating requests to our ports: {changes}")
    state = json.loads(docker("inspect", target))[0]["State"]["Status"]
    if state != "running":
        fail(f"redis is {state} after the mutating requests")
    log(f"{refused} mutating requests to our 5 services refused (4xx/405); the engine shows only "
        f"health-check events on the project ({len(events)} events)")


def check_ro_mount_is_not_protection():
    """A container with the socket mounted :ro still creates a container through it."""
    name = f"{PROJECT}-ro-proof"
    body = json.dumps({"Image": "cluster-monitor/debian:bookworm", "Cmd": ["true"],
                       "Labels": {"com.docker.compose.project": PROJECT, "io.clustermonitor.test": "true"}})
    script = ("use IO::Socket::UNIX; my $b=$ARGV[0]; my $s=IO::Socket::UNIX->new(Peer=>'/var/run/docker.sock')"
              " or die \"connect: $!\"; print $s \"POST /containers/create?name=$ARGV[1] HTTP/1.0\\r\\n"
              "Host: docker\\r\\nContent-Type: application/json\\r\\nContent-Length: \".length($b)."
              "\"\\r\\n\\r\\n$b\"; print while <$s>;")
    out = docker("run", "--rm", "--network", "none", "--label", "io.clustermonitor.test=true",
                 "--label", f"com.docker.compose.project={PROJECT}",
                 "-v", "/var/run/docker.sock:/var/run/docker.sock:ro", "cluster-monitor/debian:bookworm",
                 "perl", "-e", script, body, name)
    try:
        if "201 Created" not in out:
            fail(f"the write through a :ro socket mount did not create a container: {out[:300]}")
        json.loads(docker("inspect", name))
        log("a container with the socket mounted :ro created a container through it: the mount flag "
            "protects nothing, our read-only code does")
    finally:
        docker("rm", "-f", name, check=False)


def main():
    check_healthy()
    check_containers()
    check_targets()
    check_our_metrics()
    check_rules()
    check_dashboards()
    check_read_only()
    check_ro_mount_is_not_protection()
    check_redis_down()
    log("stack OK")


if __name__ == "__main__":
    main()
