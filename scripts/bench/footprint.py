#!/usr/bin/env python3
"""Footprint side by side (issue 18), driven by scripts/bench/footprint.sh.

At each N running containers it starts, in one run: our `serve` and each exporter command through
the launcher, Debian's Go node/postgres/redis exporters and Netdata, then measures for each one:
RSS after warm-up, RSS after the timed scrapes, RSS during 100 concurrent clients and 30 s after,
idle CPU % of one core, scrape latency p50/p99 and (ours) allocation per scrape from JFR's
jdk.ThreadAllocationStatistics events. Writes its section of docs/benchmarks.md.

Every loop is bounded in count and in time. Only processes and containers this script started are
stopped or removed, each by its own PID or ID.
"""

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone

SECTION = "## Footprint side by side (issue 18)"
CLK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


def env_int(name, default):
    v = os.environ.get(name)
    return int(v) if v else default


QUICK = os.environ.get("FOOTPRINT_QUICK") == "1"
CFG = {
    "scrapes": env_int("FOOTPRINT_SCRAPES", 500 if QUICK else 10000),
    "scrape_seconds": env_int("FOOTPRINT_SCRAPE_SECONDS", 45 if QUICK else 150),
    "warmup": env_int("FOOTPRINT_WARMUP", 20 if QUICK else 200),
    "idle_windows": env_int("FOOTPRINT_IDLE_WINDOWS", 3),
    "idle_window_seconds": env_int("FOOTPRINT_IDLE_WINDOW_SECONDS", 5 if QUICK else 10),
    "clients": env_int("FOOTPRINT_CLIENTS", 100),
    "load_seconds": env_int("FOOTPRINT_LOAD_SECONDS", 10),
    "after_seconds": env_int("FOOTPRINT_AFTER_SECONDS", 30),
    "starts": env_int("FOOTPRINT_STARTS", 2 if QUICK else 3),
    "alloc_scrapes": env_int("FOOTPRINT_ALLOC_SCRAPES", 50 if QUICK else 300),
}


def log(msg):
    print(f"[footprint {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- /proc


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out.extend(int(c) for c in f.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree(pid):
    """The process and its live descendants (bounded: at most 1000 processes)."""
    seen, todo = [], [pid]
    while todo and len(seen) < 1000:
        p = todo.pop()
        if p in seen:
            continue
        seen.append(p)
        todo.extend(children(p))
    return seen


def rss_bytes(pid):
    """VmRSS of the process and its descendants (Netdata runs plugins as child processes)."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def cpu_ticks(pid):
    """utime+stime (+ reaped children's) of the process and its descendants, in clock ticks."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        except (OSError, IndexError, ValueError):
            pass
    return total


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# ---------------------------------------------------------------- HTTP


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closes it."""

    def __init__(self, port, path, timeout=30):
        self.port, self.path, self.timeout = port, path, timeout
        self.conn = None

    def get(self):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request("GET", self.path, headers={"Accept-Encoding": "identity"})
                r = self.conn.getresponse()
                body = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return r.status, len(body)
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 1:
                    raise
        raise OSError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def wait_answer(port, path, deadline, want_200=False):
    """Seconds until the first HTTP answer (any status, or a 200), bounded by the deadline."""
    while time.monotonic() < deadline:
        c = Client(port, path, timeout=5)
        try:
            status, _ = c.get()
            if not want_200 or status == 200:
                return True
        except (OSError, http.client.HTTPException):
            pass
        finally:
            c.close()
        time.sleep(0.02)
    return False


# ---------------------------------------------------------------- targets


class Target:
    def __init__(self, name, kind, cmd, env, path, jvm=False):
        self.name, self.kind, self.cmd, self.env, self.path, self.jvm = name, kind, cmd, env, path, jvm
        self.port = None
        self.proc = None
        self.pid = None
        self.log = None
        self.r = {}

    def start(self, work, port):
        self.port = port
        cmd = [c.replace("{port}", str(self.port)).replace("{work}", work) for c in self.cmd]
        env = dict(os.environ)
        env.update({k: v.replace("{port}", str(self.port)) for k, v in self.env.items()})
        self.log = open(os.path.join(work, self.name.replace(" ", "_") + ".log"), "ab")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid

    def died(self):
        """None while running, else why it exited (its exit code and its log's last line)."""
        if self.proc is None or self.proc.poll() is None:
            return None
        last = ""
        try:
            with open(self.log.name, "rb") as f:
                lines = [x for x in f.read().decode("utf-8", "replace").splitlines() if x.strip()]
            last = lines[-1].strip() if lines else ""
        except OSError:
            pass
        return f"exited with {self.proc.returncode}" + (f": {last}" if last else "")

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        if self.log:
            self.log.close()


def netdata_conf(work, port):
    d = os.path.join(work, "netdata")
    for sub in ("conf", "cache", "lib", "log", "run"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    open(os.path.join(d, "conf", ".opt-out-from-anonymous-statistics"), "w").close()
    with open(os.path.join(d, "conf", "cloud.conf"), "w") as f:
        f.write("[global]\n    enabled = no\n")
    plugins_off = ["proc", "diskspace", "tc", "idlejitter", "timex", "checks", "apps", "python.d",
                   "charts.d", "go.d", "node.d", "ebpf", "perf", "slabinfo", "cups", "fping",
                   "ioping", "nfacct", "freeipmi", "statsd"]
    conf = f"""# generated by scripts/bench/footprint.py: cgroups plugin only, 1 s updates, loopback
[global]
    run as user = root
    hostname = cm-footprint
    update every = 1
[db]
    update every = 1
    mode = ram
    retention = 600
[directories]
    config = {d}/conf
    stock config = /usr/lib/netdata/conf.d
    log = {d}/log
    cache = {d}/cache
    lib = {d}/lib
    run = {d}/run
[logs]
    debug log = none
    error log = {d}/log/error.log
    access log = none
[web]
    bind to = 127.0.0.1:{port}
[registry]
    enabled = no
[health]
    enabled = no
[ml]
    enabled = no
[statsd]
    enabled = no
[plugin:cgroups]
    use unified cgroups = no
    check for new cgroups every = 10
[plugins]
    cgroups = yes
    enable running new plugins = no
""" + "".join(f"    {p} = no\n" for p in plugins_off)
    path = os.path.join(d, "conf", "netdata.conf")
    with open(path, "w") as f:
        f.write(conf)
    return path


def targets(launcher, work):
    pg_dsn = "postgresql://{u}:{p}@{h}:{port}/{db}?sslmode=disable".format(
        u=os.environ.get("CM_TEST_PG_USER", "cmtest"),
        p=os.environ.get("CM_TEST_PG_PASSWORD", "cmtest-secret-pw"),
        h=os.environ.get("CM_TEST_PG_HOST", "127.0.0.1"),
        port=os.environ.get("CM_TEST_PG_PORT", "55432"),
        db=os.environ.get("CM_TEST_PG_DB", "cmtest"))
    redis = "redis://{h}:{p}".format(h=os.environ.get("CM_TEST_REDIS_HOST", "127.0.0.1"),
                                     p=os.environ.get("CM_TEST_REDIS_PORT", "56379"))
    queries = "/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml"
    pgq = ["--extend.query-path=" + queries] if os.path.exists(queries) else []
    t = [
        Target("cluster-monitor serve", "ours", [launcher, "serve", "--listen", "127.0.0.1:{port}"], {},
               "/metrics", jvm=True),
        Target("cluster-monitor node-exporter", "ours",
               [launcher, "node-exporter", "--web.listen-address=127.0.0.1:{port}"], {}, "/metrics",
               jvm=True),
        Target("cluster-monitor postgres-exporter", "ours",
               [launcher, "postgres-exporter", "--web.listen-address=127.0.0.1:{port}"] + pgq,
               {"DATA_SOURCE_NAME": pg_dsn}, "/metrics", jvm=True),
        Target("cluster-monitor redis-exporter", "ours",
               [launcher, "redis-exporter", "--web.listen-address=127.0.0.1:{port}"],
               {"REDIS_ADDR": redis}, "/metrics", jvm=True),
        Target("cluster-monitor container-exporter", "ours",
               [launcher, "container-exporter", "--listen", "127.0.0.1:{port}"], {}, "/metrics",
               jvm=True),
        Target("Go node_exporter 1.5", "go",
               ["/usr/bin/prometheus-node-exporter", "--web.listen-address=127.0.0.1:{port}"], {},
               "/metrics"),
        Target("Go postgres_exporter 0.11", "go",
               ["/usr/bin/prometheus-postgres-exporter", "--web.listen-address=127.0.0.1:{port}"] + pgq,
               {"DATA_SOURCE_NAME": pg_dsn}, "/metrics"),
        Target("Go redis_exporter 1.45", "go",
               ["/usr/bin/prometheus-redis-exporter", "--redis.addr=" + redis,
                "--web.listen-address=127.0.0.1:{port}"], {}, "/metrics"),
        Target("Netdata 1.37", "netdata",
               ["/usr/sbin/netdata", "-D", "-c", "{work}/netdata/conf/netdata.conf"],
               {"DO_NOT_TRACK": "1"}, "/api/v1/allmetrics?format=prometheus"),
    ]
    return t


def start_all(ts, work):
    for t in ts:
        port = free_port()
        if t.kind == "netdata":
            netdata_conf(work, port)  # the config names the port
        t.start(work, port)
    deadline = time.monotonic() + 120
    for t in ts:
        if not wait_answer(t.port, t.path, deadline, want_200=True):
            raise RuntimeError(f"{t.name} did not answer 200 on {t.path} (log in {work})")
    log("all targets answer: " + ", ".join(f"{t.name}={t.pid}:{t.port}" for t in ts))


def stop_all(ts):
    for t in ts:
        try:
            t.stop()
        except Exception as e:  # keep stopping the others
            log(f"stopping {t.name}: {e}")


# ---------------------------------------------------------------- containers


class Containers:
    """The containers this run created (and only those): created and removed one at a time."""

    def __init__(self, docker, image, label):
        self.docker, self.image, self.label = docker, image, label
        self.ids = []

    def ensure(self, n, deadline_s=900):
        end = time.monotonic() + deadline_s
        while len(self.ids) < n and time.monotonic() < end:
            out = subprocess.run(
                ["timeout", "60", self.docker, "run", "-d", "--network", "none", "--label",
                 f"{self.label}=footprint", self.image, "sleep", "3600"],
                capture_output=True, text=True)
            if out.returncode != 0:
                raise RuntimeError("docker run failed: " + out.stderr.strip())
            self.ids.append(out.stdout.strip())
        if len(self.ids) < n:
            raise RuntimeError(f"only {len(self.ids)} of {n} containers in time")

    def remove_all(self):
        while self.ids:
            cid = self.ids.pop()
            subprocess.run(["timeout", "60", self.docker, "rm", "-f", cid], capture_output=True)

    def running_total(self):
        out = subprocess.run(["timeout", "30", self.docker, "ps", "-q"], capture_output=True, text=True)
        return len(out.stdout.split())


# ---------------------------------------------------------------- phases


def percentile(xs, p):
    s = sorted(xs)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def startup(launcher, work, n):
    """`serve` through the launcher: spawn to its first HTTP answer on /health, several starts."""
    times = []
    for i in range(CFG["starts"]):
        port = free_port()
        logf = open(os.path.join(work, f"serve-start-{n}-{i}.log"), "ab")
        t0 = time.monotonic()
        p = subprocess.Popen([launcher, "serve", "--listen", f"127.0.0.1:{port}"], stdout=logf,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        ok = wait_answer(port, "/health", t0 + 60)
        dt = time.monotonic() - t0
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)
        logf.close()
        if ok:
            times.append(dt * 1000)
        log(f"serve start {i}: {dt * 1000:.0f} ms" + ("" if ok else " (no answer)"))
    return times


def round_robin(ts, count, seconds, record):
    """Scrapes every target in turn until each has `count` scrapes or `seconds` have passed."""
    clients = {t.name: Client(t.port, t.path) for t in ts}
    lat = {t.name: [] for t in ts}
    size = {}
    end = time.monotonic() + seconds
    done = 0
    while done < count and time.monotonic() < end:
        for t in ts:
            if t.died():
                continue
            t0 = time.perf_counter()
            try:
                status, n = clients[t.name].get()
            except (OSError, http.client.HTTPException):
                if t.died():
                    continue
                raise
            dt = (time.perf_counter() - t0) * 1000
            if status != 200:
                raise RuntimeError(f"{t.name}: HTTP {status}")
            if record:
                lat[t.name].append(dt)
            size[t.name] = n
        done += 1
    for c in clients.values():
        c.close()
    return lat, size, done


def idle_cpu(ts):
    """% of one core per target over several windows, utime+stime read every second."""
    windows = {t.name: [] for t in ts}
    for _ in range(CFG["idle_windows"]):
        start = {t.name: cpu_ticks(t.pid) for t in ts}
        t0 = time.monotonic()
        for _ in range(CFG["idle_window_seconds"]):
            time.sleep(max(0.0, 1.0 - (time.monotonic() - t0) % 1.0))
            for t in ts:  # every second: a target that died makes its window meaningless
                if not alive(t.pid) and t.died():
                    t.r.setdefault("died", t.died())
        elapsed = time.monotonic() - t0
        for t in ts:
            windows[t.name].append((cpu_ticks(t.pid) - start[t.name]) / CLK / elapsed * 100)
    return windows


def jfr_start(t, work):
    settings = os.path.join(work, "alloc.jfc")
    with open(settings, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<configuration version="2.0" label="footprint">\n'
                '  <event name="jdk.ThreadAllocationStatistics">\n'
                '    <setting name="enabled">true</setting>\n'
                '    <setting name="period">1 s</setting>\n'
                '  </event>\n'
                '</configuration>\n')
    subprocess.run(["timeout", "60", "jcmd", str(t.pid), "JFR.start", "name=footprint",
                    f"settings={settings}"], check=True, capture_output=True)


def jfr_stop(t, work):
    out = os.path.join(work, f"alloc-{t.pid}.jfr")
    subprocess.run(["timeout", "60", "jcmd", str(t.pid), "JFR.stop", "name=footprint",
                    f"filename={out}"], check=True, capture_output=True)
    p = subprocess.run(["timeout", "120", "jfr", "print", "--json", "--events",
                        "jdk.ThreadAllocationStatistics", out], check=True, capture_output=True,
                       text=True)
    events = json.loads(p.stdout)["recording"]["events"]
    per_thread = {}
    for e in events:
        v = e["values"]
        th = v.get("thread") or {}
        name = th.get("javaName") or th.get("osName") or ""
        if name.startswith("JFR ") or name == "Attach Listener":
            continue  # the measurement's own threads
        key = (th.get("javaThreadId"), th.get("osThreadId"))
        per_thread.setdefault(key, []).append(int(v["allocated"]))
    # Cumulative per thread: allocation in the window is the last sample minus the first (a thread
    # born in the window counts from 0, since its first sample is at most 1 s after its start).
    total = sum(max(xs) - min(xs) for xs in per_thread.values())
    return total, len(per_thread)


def load_phase(ts):
    """100 keep-alive clients against one target at a time for load_seconds; RSS peak sampled every
    0.25 s; its RSS again after_seconds after its load ended (while the next target is loaded)."""
    timers = []
    for t in ts:
        if t.died():
            continue
        stop = threading.Event()
        counts = [0] * CFG["clients"]
        errors = [0] * CFG["clients"]

        def worker(i, t=t, stop=stop, counts=counts, errors=errors):
            c = Client(t.port, t.path, timeout=30)
            while not stop.is_set():
                try:
                    status, _ = c.get()
                    if status == 200:
                        counts[i] += 1
                    else:
                        errors[i] += 1
                except (OSError, http.client.HTTPException):
                    errors[i] += 1
                    time.sleep(0.05)
            c.close()

        threads = [threading.Thread(target=worker, args=(i,), daemon=True)
                   for i in range(CFG["clients"])]
        for th in threads:
            th.start()
        peak = rss_bytes(t.pid)
        end = time.monotonic() + CFG["load_seconds"]
        while time.monotonic() < end:
            time.sleep(0.25)
            peak = max(peak, rss_bytes(t.pid))
        stop.set()
        for th in threads:
            th.join(timeout=60)
        peak = max(peak, rss_bytes(t.pid))
        t.r["rss_load"] = peak
        t.r["load_ok"] = sum(counts)
        t.r["load_err"] = sum(errors)
        t.r["load_end"] = time.monotonic()
        if t.died():
            t.r["died"] = "under load: " + t.died()
        log(f"load {t.name}: peak {peak / MIB:.1f} MiB, {sum(counts)} ok, {sum(errors)} errors")

        def after(t=t):
            if t.died():
                t.r["rss_after"] = 0
                t.r.setdefault("died", "after its load: " + t.died())
            else:
                t.r["rss_after"] = rss_bytes(t.pid)

        tm = threading.Timer(CFG["after_seconds"], after)
        tm.start()
        timers.append(tm)
    for tm in timers:
        tm.join(timeout=CFG["after_seconds"] + 60)


def measure(n, launcher, work, cont):
    cont.ensure(n)
    total = cont.running_total()
    log(f"N = {n}: {len(cont.ids)} of ours running, {total} on the engine")
    res = {"n": n, "engine_running": total, "start_ms": startup(launcher, work, n)}
    ts = targets(launcher, work)
    try:
        start_all(ts, work)
        round_robin(ts, CFG["warmup"], 120, record=False)
        time.sleep(5)
        for t in ts:
            t.r["rss_warm"] = rss_bytes(t.pid)
        log("idle CPU")
        cpu = idle_cpu(ts)
        for t in ts:
            t.r["cpu"] = cpu[t.name]
        log("timed scrapes")
        t0 = time.monotonic()
        lat, size, done = round_robin(ts, CFG["scrapes"], CFG["scrape_seconds"], record=True)
        res["scrape_rounds"] = done
        res["scrape_seconds"] = time.monotonic() - t0
        for t in ts:
            t.r["rss_scrapes"] = rss_bytes(t.pid)
            t.r["p50"] = percentile(lat[t.name], 50)
            t.r["p99"] = percentile(lat[t.name], 99)
            t.r["size"] = size.get(t.name, 0)
        log(f"{done} rounds in {res['scrape_seconds']:.0f} s; load phase")
        load_phase(ts)
        # Allocation last, so that JFR's own memory is in none of the RSS figures above.
        jvms = []
        for t in ts:
            if t.jvm and not t.died():
                try:
                    jfr_start(t, work)
                    jvms.append(t)
                except subprocess.CalledProcessError as e:
                    t.r["alloc_error"] = (e.stdout or b"").decode(errors="replace").strip()[-200:]
        time.sleep(1.5)  # every thread's first sample falls before the scrapes, its last after them
        _, _, adone = round_robin(jvms, CFG["alloc_scrapes"], 120, record=False)
        res["alloc_scrapes"] = adone
        time.sleep(1.5)
        for t in jvms:
            try:
                alloc, threads = jfr_stop(t, work)
                t.r["alloc_per_scrape"] = alloc / max(1, adone)
                t.r["alloc_threads"] = threads
            except (subprocess.CalledProcessError, ValueError, KeyError) as e:
                t.r["alloc_error"] = str(e)[-200:]
        res["loadavg"] = os.getloadavg()
    finally:
        stop_all(ts)
    res["targets"] = [(t.name, t.kind, dict(t.r)) for t in ts]
    return res


# ---------------------------------------------------------------- report


def mib(b):
    return f"{b / MIB:.1f}"


def med_spread(xs, fmt="{:.2f}"):
    if not xs:
        return "—"
    m = statistics.median(xs)
    if len(xs) == 1:
        return fmt.format(m)
    return f"{fmt.format(m)} ({fmt.format(min(xs))}–{fmt.format(max(xs))})"


def verdict(ok):
    return "MET" if ok else "NOT met"


def report(results):
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    b = [SECTION, ""]
    if QUICK:
        b.append("**Quick mode (`FOOTPRINT_QUICK=1`), on a shared and noisy machine: fewer scrapes, "
                 "shorter idle windows; these figures show that the script works end to end, not the "
                 "footprint. The full run (`scripts/bench.sh footprint`, about 15 minutes) replaces "
                 "them.**")
        b.append("")
    c = CFG
    b.append(
        f"Measured {now} on this machine ({os.cpu_count()} CPUs), one run of `scripts/bench.sh footprint "
        f"{' '.join(str(r['n']) for r in results)}`"
        f"{' with FOOTPRINT_QUICK=1' if QUICK else ''}. At each N, N running containers of the test "
        "image (`--network none`, created and removed one at a time); every process started fresh at "
        "that N, all running side by side: ours through the launcher (`target/bin/cluster-monitor "
        "serve` as the README runs it, and each exporter command), Debian's Go exporters, and Netdata "
        "1.37 (its own generated config: cgroups plugin only, `update every = 1`, RAM database, web on "
        "127.0.0.1 only, cloud, registry, health, ML and anonymous statistics off). Each one scrapes "
        "what it scrapes by default (ours `serve`: containers, engine and host; Netdata: its cgroup "
        "charts; `/api/v1/allmetrics?format=prometheus`).")
    b.append("")
    b.append(
        f"Method: {c['warmup']} warm-up scrapes each, then RSS (VmRSS of the process and its children, "
        f"so Netdata's plugin processes count) after 5 s. Idle CPU: {c['idle_windows']} windows of "
        f"{c['idle_window_seconds']} s with nobody scraping, utime+stime (with reaped children) from "
        f"`/proc/<pid>/stat`, % of one core, median (min–max). Timed scrapes: one keep-alive client, "
        f"the targets scraped in turn (each sees the same machine load), up to {c['scrapes']} "
        f"scrapes each or {c['scrape_seconds']} s (the scrapes column says which came first); "
        f"p50/p99 of the client's time to the whole body; RSS after them. Load: {c['clients']} keep-alive "
        f"clients on the Prometheus endpoint for {c['load_seconds']} s, one target at a time, peak RSS "
        f"sampled every 0.25 s, and RSS {c['after_seconds']} s after its load ended (while the next "
        f"target is loaded); the errors are non-200 answers and failed connections (node_exporter, and "
        f"our node-exporter like it, answer 503 beyond `--web.max-requests`, 40 by default). "
        f"Allocation per scrape (ours), last, so that JFR is in no RSS figure: "
        f"a JFR recording of `jdk.ThreadAllocationStatistics` (1 s period) started with `jcmd <pid> "
        f"JFR.start`, up to {c['alloc_scrapes']} more scrapes of our processes in turn, `JFR.stop`; "
        f"per thread the last cumulative value minus the first, summed over threads (JFR's and the "
        f"attach listener's own threads left out), divided by the scrapes: it includes what the "
        f"background sampling allocated in that window. `serve` start: the launcher spawned to the first HTTP answer on "
        f"`/health`, {c['starts']} starts at each N before the others start (CDS archive in place "
        f"after the first start of a freshly built jar).")
    b.append("")
    for r in results:
        la = r.get("loadavg", (0, 0, 0))
        b.append(
            f"### N = {r['n']} ({r['engine_running']} containers running on the engine, "
            f"{r['scrape_rounds']} timed scrapes each in {r['scrape_seconds']:.0f} s; load average at "
            f"the end {la[0]:.2f} {la[1]:.2f} {la[2]:.2f})")
        b.append("")
        b.append("| process | RSS MiB after warm-up | RSS MiB after the scrapes | RSS MiB peak under "
                 f"{c['clients']} clients | RSS MiB {c['after_seconds']} s after | idle CPU % of one "
                 "core | scrape p50 ms | scrape p99 ms | body bytes | alloc KiB/scrape | requests "
                 "under load (errors) |")
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, kind, m in r["targets"]:
            alloc = f"{m['alloc_per_scrape'] / 1024:.0f}" if "alloc_per_scrape" in m else "—"
            after = "exited" if m.get("died") else mib(m.get("rss_after", 0))
            b.append(
                f"| {name} | {mib(m.get('rss_warm', 0))} | {mib(m.get('rss_scrapes', 0))} | "
                f"{mib(m.get('rss_load', 0))} | {after} | {med_spread(m.get('cpu', []))} | "
                f"{m.get('p50', float('nan')):.2f} | {m.get('p99', float('nan')):.2f} | "
                f"{m.get('size', 0)} | {alloc} | {m.get('load_ok', 0)} ({m.get('load_err', 0)}) |")
        b.append("")
        for name, kind, m in r["targets"]:
            if m.get("died"):
                b.append(f"**{name} {m['died']}** (its figures after that are missing).")
                b.append("")
        b.append(f"`serve` start to first answer: {med_spread(r['start_ms'], '{:.0f}')} ms "
                 f"(median (min–max) of {len(r['start_ms'])} starts: "
                 f"{', '.join(f'{x:.0f}' for x in r['start_ms'])}).")
        b.append("")
    b.append("Targets (issue 18):")
    b.append("")
    big = [r for r in results if r["n"] >= 100]
    if not big:
        b.append(f"- Not shown: N = 100 was not in this run; the figures below are at N = "
                 f"{results[-1]['n']}.")
    r = big[-1] if big else results[-1]
    tg = {name: m for name, _, m in r["targets"]}
    s = tg["cluster-monitor serve"]
    nd = tg["Netdata 1.37"]
    at = f"N = {r['n']}"
    b.append(f"- `serve` RSS steady ≤ 96 MiB at N = 100: {mib(s['rss_scrapes'])} MiB after the "
             f"scrapes ({mib(s['rss_warm'])} after warm-up) at {at} — "
             f"{verdict(s['rss_scrapes'] <= 96 * MIB and s['rss_warm'] <= 96 * MIB)}")
    dead = f" and the process {s['died']}" if s.get("died") else ""
    b.append(f"- `serve` RSS ≤ 160 MiB under {c['clients']} clients: {mib(s.get('rss_load', 0))} MiB peak{dead} "
             f"at {at} — {verdict(0 < s.get('rss_load', 0) <= 160 * MIB and not s.get('died'))}")
    b.append(f"- `serve` RSS below 128 MiB after the load: {mib(s.get('rss_after', 0))} MiB "
             f"{c['after_seconds']} s after at {at} — {verdict(0 < s.get('rss_after', 0) < 128 * MIB)}")
    for e in ("node-exporter", "postgres-exporter", "redis-exporter", "container-exporter"):
        m = tg["cluster-monitor " + e]
        worst = max(m.get("rss_warm", 0), m.get("rss_scrapes", 0))
        b.append(f"- `{e}` ≤ 64 MiB: {mib(worst)} MiB (the larger of after warm-up and after the "
                 f"scrapes) at {at} — {verdict(worst <= 64 * MIB)}")
    sc = statistics.median(s.get("cpu") or [float("nan")])
    nc = statistics.median(nd.get("cpu") or [float("nan")])
    b.append(f"- idle CPU at N = 100 ≤ Netdata's at 1 s: `serve` {sc:.2f} % vs Netdata {nc:.2f} % of "
             f"one core (medians) at {at} — {verdict(sc <= nc)}")
    st = r["start_ms"]
    b.append(f"- `serve` start to first answer ≤ 1 s: "
             f"{statistics.median(st) if st else float('nan'):.0f} ms (median) at {at} — "
             f"{verdict(bool(st) and statistics.median(st) <= 1000)}")
    b.append("")
    return "\n".join(b) + "\n"


NOTES = "Reading it"


def write_section(path, section):
    """Replaces our section (up to the next "## ") or appends it; other sections stay. A hand-written
    paragraph of the old section starting with "Reading it" is kept at its end (it is dated)."""
    with open(path) as f:
        text = f.read()
    i = text.find(SECTION)
    if i < 0:
        # a new section goes right after the launcher's footprint section, else at the end
        a = text.find("## Footprint: the launcher")
        b = text.find("\n## ", a + 1) if a >= 0 else -1
        if b >= 0:
            text = text[:b + 1] + section + "\n" + text[b + 1:]
        else:
            text = text.rstrip("\n") + "\n\n" + section
    else:
        j = text.find("\n## ", i + len(SECTION))
        old = text[i:j + 1] if j >= 0 else text[i:]
        rest = text[j + 1:] if j >= 0 else ""
        k = old.find("\n" + NOTES)
        notes = old[k + 1:].rstrip("\n") + "\n" if k >= 0 else ""
        text = text[:i] + section + ("\n" + notes if notes else "") + ("\n" + rest if rest else "")
    with open(path, "w") as f:
        f.write(text)


def main():
    launcher, doc, docker = sys.argv[1], sys.argv[2], sys.argv[3]
    counts = [int(x) for x in sys.argv[4:]] or [10, 100]
    image = os.environ.get("CM_TEST_IMAGE", "cluster-monitor/busybox:test")
    label = os.environ.get("CM_TEST_LABEL", "io.clustermonitor.test")
    work = tempfile.mkdtemp(prefix="cm-footprint-")
    log(f"config {CFG}, quick={QUICK}, work dir {work}")
    cont = Containers(docker, image, label)
    results = []
    t0 = time.monotonic()
    try:
        for n in sorted(counts):
            results.append(measure(n, launcher, work, cont))
            with open(os.path.join(work, "results.json"), "w") as f:
                json.dump(results, f, indent=1)
    finally:
        log(f"removing {len(cont.ids)} containers one at a time")
        cont.remove_all()
    section = report(results)
    print(section)
    write_section(doc, section)
    log(f"done in {time.monotonic() - t0:.0f} s; wrote {doc}")


if __name__ == "__main__":
    main()
