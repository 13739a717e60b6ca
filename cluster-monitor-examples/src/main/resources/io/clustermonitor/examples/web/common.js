// Shared by the pages: bearer token (asked once, kept in sessionStorage), API reads, the update
// stream (fetch streaming, so the token travels in the Authorization header, never in a URL),
// formatting. No framework, no build step.
"use strict";
const CM = (() => {
  const KEY = "cluster-monitor.token";
  let waiters = [];

  function token() {
    return sessionStorage.getItem(KEY);
  }

  function headers() {
    const t = token();
    return t ? { Authorization: "Bearer " + t } : {};
  }

  // Shows the token form and resolves once a token was entered.
  function askToken(message) {
    const box = document.getElementById("auth");
    const err = document.getElementById("auth-error");
    if (message || box.hidden) err.textContent = message || "";
    box.hidden = false;
    document.getElementById("auth-token").focus();
    return new Promise((resolve) => waiters.push(resolve));
  }

  function init() {
    const form = document.getElementById("auth-form");
    if (!form) return;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const input = document.getElementById("auth-token");
      const v = input.value.trim();
      if (!v) return;
      sessionStorage.setItem(KEY, v);
      input.value = "";
      document.getElementById("auth").hidden = true;
      const w = waiters;
      waiters = [];
      w.forEach((r) => r());
    });
  }

  // A 401 for the token `sent`: forget it and ask, unless another request already got a new one.
  async function rejected(sent) {
    const now = token();
    if (now !== null && now !== sent) return;
    if (now !== null) sessionStorage.removeItem(KEY);
    await askToken(sent ? "That token was not accepted." : "");
  }

  function bearerChallenge(resp) {
    return resp.status === 401 && /bearer/i.test(resp.headers.get("WWW-Authenticate") || "");
  }

  // GET a JSON endpoint; asks for the token on a bearer 401 and retries. Resolves {status, body}.
  async function api(path) {
    for (;;) {
      const sent = token();
      const resp = await fetch(path, { headers: headers(), cache: "no-store" });
      if (bearerChallenge(resp)) {
        await rejected(sent);
        continue;
      }
      let body = null;
      try {
        body = await resp.json();
      } catch (e) {
        body = null;
      }
      return { status: resp.status, body };
    }
  }

  // Follows /api/stream: calls onEvent(name, data) per event, onState(connected) on changes.
  // Reconnects after a pause whenever the stream ends.
  function stream(onEvent, onState) {
    let stopped = false;
    async function run() {
      while (!stopped) {
        try {
          const sent = token();
          const resp = await fetch("/api/stream", { headers: headers(), cache: "no-store" });
          if (bearerChallenge(resp)) {
            await rejected(sent);
            continue;
          }
          if (!resp.ok || !resp.body) {
            onState(false, "stream answered " + resp.status);
            await pause(2000);
            continue;
          }
          onState(true);
          const reader = resp.body.getReader();
          const decoder = new TextDecoder();
          let buf = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buf += decoder.decode(value, { stream: true });
            let end;
            while ((end = buf.indexOf("\n\n")) >= 0) {
              const block = buf.slice(0, end);
              buf = buf.slice(end + 2);
              let name = "message";
              const data = [];
              for (const line of block.split("\n")) {
                if (line.startsWith("event:")) name = line.slice(6).trim();
                else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
              }
              if (data.length) {
                try {
                  onEvent(name, JSON.parse(data.join("\n")));
                } catch (e) {
                  console.error("bad event", e);
                }
              }
            }
          }
          onState(false, "stream ended");
        } catch (e) {
          onState(false, "stream failed");
        }
        await pause(2000);
      }
    }
    run();
    return () => {
      stopped = true;
    };
  }

  function pause(ms) {
    return new Promise((r) => setTimeout(r, ms));
  }

  function bytes(n) {
    if (n == null) return "–";
    const u = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    let v = n;
    while (Math.abs(v) >= 1024 && i < u.length - 1) {
      v /= 1024;
      i++;
    }
    return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + " " + u[i];
  }

  function rate(n) {
    return n == null ? "–" : bytes(n) + "/s";
  }

  function pct(n) {
    return n == null ? "–" : n.toFixed(1) + " %";
  }

  function duration(seconds) {
    if (seconds == null || seconds < 0) return "–";
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = Math.floor(seconds % 60);
    if (d) return d + "d " + h + "h";
    if (h) return h + "h " + m + "m";
    if (m) return m + "m " + s + "s";
    return s + "s";
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k of Object.keys(attrs)) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  // The engine badge and the "engine down" banner, from an update's engine object.
  function showEngine(engine, version) {
    const badge = document.getElementById("engine-state");
    const down = document.getElementById("engine-down");
    const info = document.getElementById("engine-info");
    if (engine.up) {
      badge.textContent = "engine up";
      badge.className = "badge up";
      down.hidden = true;
    } else {
      badge.textContent = "engine down";
      badge.className = "badge down";
      down.hidden = false;
      down.textContent =
        "The Docker engine at " + engine.endpoint + " is not answering" +
        (engine.error ? " (" + engine.error + ")" : "") +
        ". Showing nothing until it is back; this page reconnects by itself.";
    }
    info.textContent =
      (version ? "Docker " + version + " · " : "") +
      engine.endpoint + " · stats from " + (engine.statsSource || "–");
  }

  document.addEventListener("DOMContentLoaded", init);
  return { api, stream, bytes, rate, pct, duration, el, showEngine, token };
})();
