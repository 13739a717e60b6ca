// One container: details (no environment values: the API sends names only), charts over the
// retained history (uPlot), health and restart log; kept current from /api/stream.
"use strict";
(() => {
  const ref = decodeURIComponent(location.pathname.slice("/containers/".length));
  const COLS = [
    "cpuPercent", "memoryUsageBytes", "memoryWorkingSetBytes", "memoryLimitBytes",
    "networkReceiveBytesPerSecond", "networkTransmitBytesPerSecond",
    "blockReadBytesPerSecond", "blockWriteBytesPerSecond", "pids",
  ];
  const data = { time: [], cpuLimit: null, retention: 900 };
  for (const c of COLS) data[c] = [];
  const charts = {};
  let id = null;
  let version = null;

  function chartWidth(el) {
    return Math.max(300, el.clientWidth || 500);
  }

  function makeChart(elId, series, fmt) {
    const el = document.getElementById(elId);
    const opts = {
      width: chartWidth(el),
      height: 180,
      series: [{}].concat(series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, dash: s.dash, value: (u, v) => fmt(v) }))),
      axes: [{}, { values: (u, vals) => vals.map(fmt), size: 70 }],
      scales: { x: { time: true } },
      legend: { show: true },
    };
    charts[elId] = { plot: new uPlot(opts, [[]].concat(series.map(() => [])), el), series, el };
  }

  function fmtPct(v) {
    return v == null ? "–" : v.toFixed(1) + "%";
  }

  function draw() {
    const t = data.time.map((x) => x / 1000);
    const cpuLimit = data.cpuLimit ? data.time.map(() => data.cpuLimit * 100) : data.time.map(() => null);
    const sets = {
      "chart-cpu": [data.cpuPercent, cpuLimit],
      "chart-mem": [data.memoryUsageBytes, data.memoryWorkingSetBytes, data.memoryLimitBytes],
      "chart-net": [data.networkReceiveBytesPerSecond, data.networkTransmitBytesPerSecond],
      "chart-blk": [data.blockReadBytesPerSecond, data.blockWriteBytesPerSecond],
      "chart-pids": [data.pids],
    };
    for (const k of Object.keys(sets)) {
      const c = charts[k];
      c.plot.setData([t].concat(sets[k]));
      c.el.dataset.points = t.length;
    }
  }

  function details(d) {
    document.getElementById("title").textContent = d.name;
    document.title = d.name + " · cluster-monitor";
    const dl = document.getElementById("details");
    dl.replaceChildren();
    const rows = [
      ["Name", d.name], ["ID", d.id], ["Image", d.image], ["State", d.state], ["Health", d.health],
      ["Created", d.createdAt], ["Started", d.startedAt], ["Restarts", d.restartCount],
      ["Restart policy", d.restartPolicy], ["Command", (d.command || []).join(" ")],
      ["Working dir", d.workingDir], ["User", d.user], ["Network mode", d.networkMode],
      ["CPU limit", d.limits.cpuLimitCores ? d.limits.cpuLimitCores + " cores" : "none"],
      ["Memory limit", d.limits.memoryLimitBytes ? CM.bytes(d.limits.memoryLimitBytes) : "none"],
      ["PIDs limit", d.limits.pidsLimit || "none"], ["Compose", d.composeProject ? d.composeProject + " / " + d.composeService : "–"],
      ["Mounts", (d.mounts || []).join(", ") || "–"], ["Ports", (d.ports || []).join(", ") || "–"],
      ["Environment (names only)", (d.environmentNames || []).join(", ") || "–"],
      ["Health check", (d.healthCheckCommand || []).join(" ") || "–"],
      ["Labels", Object.keys(d.labels).map((k) => k + "=" + d.labels[k]).join(", ") || "–"],
    ];
    for (const [k, v] of rows) {
      dl.appendChild(CM.el("dt", null, k));
      dl.appendChild(CM.el("dd", null, v == null ? "–" : String(v)));
    }
    data.cpuLimit = d.limits.cpuLimitCores || null;
    probes(d.healthProbes || []);
  }

  function probes(list) {
    document.getElementById("health-probes-none").hidden = list.length > 0;
    const tbody = document.querySelector("#health-probes tbody");
    tbody.replaceChildren();
    for (const p of list.slice().reverse()) {
      const tr = CM.el("tr", { class: p.exitCode === 0 ? "probe-ok" : "probe-failed" });
      for (const v of [p.start ?? "–", String(p.exitCode), p.output.trim() || "–"]) tr.appendChild(CM.el("td", null, v));
      tbody.appendChild(tr);
    }
  }

  function healthLog(h) {
    document.getElementById("health-now").textContent =
      "Health now: " + h.health + " · restarts: " + h.restartCount + " (changes seen while this server ran)";
    const tbody = document.querySelector("#health-log tbody");
    tbody.replaceChildren();
    for (const e of h.events.slice().reverse()) {
      const tr = CM.el("tr");
      for (const v of [e.at, e.kind, e.from ?? "–", e.to ?? "–"]) tr.appendChild(CM.el("td", null, v));
      tbody.appendChild(tr);
    }
  }

  async function load() {
    const d = await CM.api("/api/containers/" + encodeURIComponent(ref));
    if (d.status !== 200) {
      const nf = document.getElementById("not-found");
      nf.hidden = false;
      nf.textContent = (d.body && d.body.message) || "Cannot load container " + ref + " (" + d.status + ")";
      return false;
    }
    id = d.body.id;
    details(d.body);
    const h = await CM.api("/api/containers/" + encodeURIComponent(id) + "/history");
    if (h.status === 200) {
      data.time = h.body.time.slice();
      for (const c of COLS) data[c] = h.body[c].slice();
      data.retention = h.body.retentionSeconds;
      healthLog(h.body);
    }
    draw();
    return true;
  }

  function onEvent(name, u) {
    if (name !== "update" && name !== "hello") return;
    CM.showEngine(u.engine, version);
    const c = u.containers.find((x) => x.id === id);
    if (!c || c.cpuPercent == null || !u.at) return;
    const at = Date.parse(u.at);
    if (data.time.length && data.time[data.time.length - 1] >= at) return;
    data.time.push(at);
    for (const k of COLS) data[k].push(c[k] ?? null);
    const cutoff = at - data.retention * 1000;
    while (data.time.length && data.time[0] < cutoff) {
      data.time.shift();
      for (const k of COLS) data[k].shift();
    }
    draw();
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const b = (v) => CM.bytes(v);
    const r = (v) => (v == null ? "–" : CM.rate(v));
    makeChart("chart-cpu", [{ label: "CPU %", color: "#1f77b4" }, { label: "limit", color: "#c0392b", dash: [6, 4] }], fmtPct);
    makeChart("chart-mem", [{ label: "usage", color: "#9467bd" }, { label: "working set", color: "#ff7f0e" }, { label: "limit", color: "#c0392b", dash: [6, 4] }], b);
    makeChart("chart-net", [{ label: "rx", color: "#2ca02c" }, { label: "tx", color: "#d62728" }], r);
    makeChart("chart-blk", [{ label: "read", color: "#17becf" }, { label: "write", color: "#8c564b" }], r);
    makeChart("chart-pids", [{ label: "pids", color: "#7f7f7f" }], (v) => (v == null ? "–" : v.toFixed(0)));
    if (await load()) {
      CM.stream(onEvent, () => {});
      const info = await CM.api("/api/system/info");
      if (info.status === 200) version = info.body.engineVersion;
      setInterval(async () => {
        const h = await CM.api("/api/containers/" + encodeURIComponent(id) + "/history?window=1s");
        if (h.status === 200) healthLog(h.body);
        const d = await CM.api("/api/containers/" + encodeURIComponent(id));
        if (d.status === 200) probes(d.body.healthProbes || []);
      }, 5000);
    }
  });
})();
