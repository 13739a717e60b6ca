// The overview: engine, host, and a live table of containers with sparklines.
"use strict";
(() => {
  const SPARK = 60;
  const state = { rows: [], spark: new Map(), sort: "name", dir: 1, engine: null, version: null };

  function sparkOf(id) {
    let s = state.spark.get(id);
    if (!s) {
      s = { at: [], cpu: [], mem: [] };
      state.spark.set(id, s);
    }
    return s;
  }

  function onEvent(name, u) {
    if (name === "hello" && u.spark) {
      state.spark.clear();
      for (const id of Object.keys(u.spark)) {
        const t = u.spark[id];
        state.spark.set(id, { at: t.time.slice(), cpu: t.cpuPercent.slice(), mem: t.memoryWorkingSetBytes.slice() });
      }
    } else if (name === "update") {
      const at = u.at ? Date.parse(u.at) : Date.now();
      for (const c of u.containers) {
        if (c.cpuPercent == null) continue;
        const s = sparkOf(c.id);
        if (s.at.length && s.at[s.at.length - 1] >= at) continue;
        s.at.push(at);
        s.cpu.push(c.cpuPercent);
        s.mem.push(c.memoryWorkingSetBytes);
        while (s.at.length > SPARK) {
          s.at.shift();
          s.cpu.shift();
          s.mem.shift();
        }
      }
    } else {
      return;
    }
    const ids = new Set(u.containers.map((c) => c.id));
    for (const id of [...state.spark.keys()]) if (!ids.has(id)) state.spark.delete(id);
    state.rows = u.containers;
    state.engine = u.engine;
    CM.showEngine(u.engine, state.version);
    showHost(u.host);
    updateProjects();
    render();
  }

  function showHost(h) {
    const box = document.getElementById("host");
    if (!h) {
      box.textContent = "";
      return;
    }
    const used = h.memoryTotalBytes != null && h.memoryAvailableBytes != null ? h.memoryTotalBytes - h.memoryAvailableBytes : null;
    box.textContent =
      "host CPU " + CM.pct(h.cpuPercent) + " of " + h.cpus + " CPUs · memory " +
      CM.bytes(used) + " / " + CM.bytes(h.memoryTotalBytes) +
      (h.load1 != null ? " · load " + h.load1.toFixed(2) : "");
    box.dataset.cpuPercent = h.cpuPercent == null ? "" : h.cpuPercent;
  }

  function updateProjects() {
    const sel = document.getElementById("filter-project");
    const have = new Set([...sel.options].map((o) => o.value));
    for (const c of state.rows) {
      if (c.composeProject && !have.has(c.composeProject)) {
        sel.appendChild(CM.el("option", { value: c.composeProject }, c.composeProject));
        have.add(c.composeProject);
      }
    }
  }

  function uptime(c) {
    return c.state === "running" && c.startedAt ? (Date.now() - Date.parse(c.startedAt)) / 1000 : null;
  }

  function key(c, k) {
    switch (k) {
      case "cpu": return c.cpuPercent ?? -1;
      case "mem": return c.memoryWorkingSetBytes ?? -1;
      case "net": return (c.networkReceiveBytesPerSecond ?? -1) + (c.networkTransmitBytesPerSecond ?? 0);
      case "blk": return (c.blockReadBytesPerSecond ?? -1) + (c.blockWriteBytesPerSecond ?? 0);
      case "restarts": return c.restartCount;
      case "uptime": return uptime(c) ?? -1;
      default: return String(c[k] ?? "").toLowerCase();
    }
  }

  function matches(c) {
    const name = document.getElementById("filter-name").value.trim().toLowerCase();
    const label = document.getElementById("filter-label").value.trim();
    const project = document.getElementById("filter-project").value;
    const stopped = document.getElementById("show-stopped").checked;
    if (!stopped && c.state !== "running" && c.state !== "paused" && c.state !== "restarting") return false;
    if (name && !c.name.toLowerCase().includes(name)) return false;
    if (project && c.composeProject !== project) return false;
    if (label) {
      const eq = label.indexOf("=");
      const k = eq < 0 ? label : label.slice(0, eq);
      if (!(k in c.labels)) return false;
      if (eq >= 0 && c.labels[k] !== label.slice(eq + 1)) return false;
    }
    return true;
  }

  const NS = "http://www.w3.org/2000/svg";
  function sparkline(id, limit) {
    const s = state.spark.get(id) || { cpu: [], mem: [] };
    const w = 120, h = 28;
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("class", "spark");
    svg.setAttribute("width", w);
    svg.setAttribute("height", h);
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    const cpuVals = s.cpu.map((v) => v ?? 0);
    const memVals = s.mem.map((v) => v ?? 0);
    const cpuMax = Math.max(1, ...cpuVals);
    const memMax = Math.max(1, limit || 0, ...memVals);
    svg.dataset.points = cpuVals.length;
    svg.dataset.cpuMax = cpuVals.length ? Math.max(...cpuVals) : 0;
    svg.dataset.cpuFirst = cpuVals.length ? cpuVals[0] : 0;
    svg.dataset.cpuLast = cpuVals.length ? cpuVals[cpuVals.length - 1] : 0;
    for (const [vals, max, cls] of [[cpuVals, cpuMax, "cpu"], [memVals, memMax, "mem"]]) {
      const p = document.createElementNS(NS, "polyline");
      p.setAttribute("class", cls);
      const n = vals.length;
      p.setAttribute("points", vals.map((v, i) => ((n <= 1 ? w : (i * w) / (SPARK - 1) + (SPARK - n) * w / (SPARK - 1))).toFixed(1) + "," + (h - 1 - (v / max) * (h - 2)).toFixed(1)).join(" "));
      svg.appendChild(p);
    }
    const title = document.createElementNS(NS, "title");
    title.textContent = "CPU (blue) and memory (orange), last " + SPARK + " samples";
    svg.appendChild(title);
    return svg;
  }

  function cell(cls, text, value) {
    const td = CM.el("td", { class: cls }, text);
    if (value !== undefined) td.dataset.value = value == null ? "" : value;
    return td;
  }

  function render() {
    const rows = state.rows.filter(matches);
    rows.sort((a, b) => {
      const x = key(a, state.sort), y = key(b, state.sort);
      return (x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : 1) * state.dir;
    });
    const tbody = document.querySelector("#containers tbody");
    const frag = document.createDocumentFragment();
    for (const c of rows) {
      const tr = CM.el("tr", { "data-id": c.id, "data-name": c.name, class: c.state === "running" ? "" : "stopped" });
      const a = CM.el("a", { href: "/containers/" + encodeURIComponent(c.name) }, c.name);
      const nameTd = CM.el("td", { class: "name" });
      nameTd.appendChild(a);
      tr.appendChild(nameTd);
      tr.appendChild(cell("image", c.image));
      tr.appendChild(cell("state state-" + c.state, c.state));
      tr.appendChild(cell("health health-" + c.health, c.health === "none" ? "–" : c.health));
      tr.appendChild(cell("num cpu", CM.pct(c.cpuPercent), c.cpuPercent));
      const mem = cell("num mem", CM.bytes(c.memoryWorkingSetBytes) + " / " + (c.memoryLimited ? CM.bytes(c.memoryLimitBytes) : c.memoryLimitBytes ? "no limit" : "–"), c.memoryWorkingSetBytes);
      mem.dataset.limit = c.memoryLimitBytes ?? "";
      tr.appendChild(mem);
      tr.appendChild(cell("num net", CM.rate(c.networkReceiveBytesPerSecond) + " / " + CM.rate(c.networkTransmitBytesPerSecond)));
      tr.appendChild(cell("num blk", CM.rate(c.blockReadBytesPerSecond) + " / " + CM.rate(c.blockWriteBytesPerSecond)));
      tr.appendChild(cell("num restarts", String(c.restartCount), c.restartCount));
      tr.appendChild(cell("num uptime", CM.duration(uptime(c))));
      const sp = CM.el("td", { class: "spark" });
      sp.appendChild(sparkline(c.id, c.memoryLimitBytes));
      tr.appendChild(sp);
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
    document.getElementById("empty").hidden = rows.length > 0;
    document.getElementById("count").textContent = rows.length + " of " + state.rows.length + " containers";
    for (const th of document.querySelectorAll("th[data-sort]")) {
      th.classList.toggle("sorted-asc", th.dataset.sort === state.sort && state.dir > 0);
      th.classList.toggle("sorted-desc", th.dataset.sort === state.sort && state.dir < 0);
    }
  }

  async function version() {
    for (;;) {
      try {
        const r = await CM.api("/api/system/info");
        if (r.status === 200) {
          state.version = r.body.engineVersion;
          if (state.engine) CM.showEngine(state.engine, state.version);
          return;
        }
      } catch (e) {
        // engine down or network error: try again later
      }
      await new Promise((r) => setTimeout(r, 10000));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const th of document.querySelectorAll("th[data-sort]")) {
      th.addEventListener("click", () => {
        if (state.sort === th.dataset.sort) state.dir = -state.dir;
        else {
          state.sort = th.dataset.sort;
          state.dir = ["cpu", "mem", "net", "blk", "restarts", "uptime"].includes(state.sort) ? -1 : 1;
        }
        render();
      });
    }
    for (const id of ["filter-name", "filter-label", "filter-project", "show-stopped"]) {
      document.getElementById(id).addEventListener("input", render);
    }
    CM.stream(onEvent, (up, why) => {
      if (!up && why) document.getElementById("engine-state").textContent = "reconnecting";
    });
    version();
  });
})();
