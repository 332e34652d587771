// anodeline HMI: session, API forms and the live line (served with the package; no CDN).
"use strict";
(function () {
  const body = document.body;
  const csrf = () => body.dataset.csrf || "";

  document.addEventListener("htmx:configRequest", (e) => { e.detail.headers["X-CSRF-Token"] = csrf(); });
  // a panel being typed into (a refusal's reason) is not replaced under the operator's fingers
  document.addEventListener("htmx:beforeRequest", (e) => {
    const target = e.detail.elt;
    const typing = document.activeElement;
    if (target && target.id === "prompts" && typing && typing.tagName === "INPUT" && typing.value && target.contains(typing)) e.preventDefault();
  });

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function showProblem(target, problem) {
    target.replaceChildren();
    const box = el("div", "", "problem");
    box.append(el("strong", (problem.title || "Error") + ": "), el("span", problem.detail || ""));
    if (problem.hint) { box.append(el("br"), el("span", problem.hint, "muted")); }
    target.append(box);
    const rows = problem.violations || [];
    if (rows.length) {
      const table = el("table", undefined, "violations");
      const head = el("tr");
      ["severity", "line", "column", "code", "message", "fix"].forEach((h) => head.append(el("th", h)));
      table.append(head);
      rows.forEach((v) => {
        const tr = el("tr", undefined, "violation " + (v.severity || ""));
        [v.severity || "", v.line !== undefined ? String(v.line) : (v.location || ""), v.column !== undefined ? String(v.column) : "",
         v.code || "", v.message || "", v.hint || ""].forEach((c) => tr.append(el("td", c)));
        table.append(tr);
      });
      target.append(table);
    }
  }

  async function api(url, method, payload, multipart) {
    const headers = { "X-CSRF-Token": csrf(), "Accept": "application/json" };
    let data = payload;
    if (!multipart && payload !== undefined) { headers["Content-Type"] = "application/json"; data = JSON.stringify(payload); }
    const response = await fetch(url, { method, headers, body: data, credentials: "same-origin" });
    let json = null;
    try { json = await response.json(); } catch (_) { json = null; }
    return { ok: response.ok, status: response.status, json };
  }

  function describe(json) {
    if (!json) return "done";
    if (json.said) return json.command.verb + " by " + json.command.user + ": " + json.said;
    if (json.meaning_text) return "signed: " + json.meaning_text + " — " + json.printed_name + " at " + json.signed_at;
    if (json.answer) return "step " + json.step + " " + json.answer + " by " + json.user;
    if (json.valid) return (json.file || "recipe") + ": valid" + (json.violations.length ? " (" + json.violations.length + " warning(s))" : "");
    return "done";
  }

  document.addEventListener("submit", async (e) => {
    const form = e.target;
    if (form.id === "login-form") {
      e.preventDefault();
      const out = document.getElementById("login-result");
      const r = await api("/api/login", "POST", { user: form.user.value, password: form.password.value });
      if (r.ok) { window.location.assign(form.dataset.next || "/line"); } else { showProblem(out, r.json || { detail: "HTTP " + r.status }); }
      return;
    }
    if (!form.classList.contains("api-form")) return;
    e.preventDefault();
    const out = document.querySelector(form.dataset.result);
    let payload;
    if (form.dataset.multipart) { payload = new FormData(form); } else {
      payload = {};
      new FormData(form).forEach((v, k) => { payload[k] = v; });
    }
    const r = await api(form.dataset.api, "POST", payload, !!form.dataset.multipart);
    if (r.ok) {
      out.replaceChildren(el("div", describe(r.json), "ok"));
      form.querySelectorAll("input[type=password]").forEach((i) => { i.value = ""; });
      if (form.dataset.reload) { setTimeout(() => window.location.reload(), 600); }
      if (form.dataset.refresh && window.htmx) { window.htmx.trigger(form.dataset.refresh, "refresh"); }
    } else {
      showProblem(out, r.json || { title: "Error", detail: "HTTP " + r.status });
    }
  });

  const logout = document.getElementById("logout");
  if (logout) {
    logout.addEventListener("click", async () => { await api("/api/logout", "POST"); window.location.assign("/login"); });
  }

  // ---- live line ---------------------------------------------------------------------------
  const FORMATS = { o2: (v) => fmtNum(v) + " ppm", h2o: (v) => fmtNum(v) + " ppm", pressure: (v) => fmtNum(v) + " Pa", "dew-point": (v) => v.toFixed(1) + " °C" };
  function fmtNum(v) { return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toPrecision(3); }

  function apply(state) {
    if (!state.batch) return;
    if (body.dataset.line && state.line !== body.dataset.line) { window.location.reload(); return; }
    if (!body.dataset.line) { window.location.reload(); return; }
    // a new batch: its commands, prompts and trends are rendered for it
    if (!body.dataset.batch && body.dataset.shown && state.batch !== body.dataset.shown) { window.location.reload(); return; }
    const set = (id, text) => { const n = document.getElementById(id); if (n) n.textContent = text; };
    const batchLink = document.getElementById("live-batch");
    if (batchLink && batchLink.textContent !== state.batch) { batchLink.textContent = state.batch; batchLink.href = "/batches/" + state.batch; }
    set("live-recipe", state.recipe);
    const status = document.getElementById("live-status");
    if (status) { status.textContent = state.status; status.className = "status " + state.status; }
    set("live-clock", Math.round(state.sim_s));
    set("live-step", state.step ? state.step.index + ": " + state.step.text + (state.step.done ? " (done)" : "") : "-");
    document.querySelectorAll("[data-value]").forEach((n) => {
      const [space, what] = n.dataset.value.split("|");
      const v = (state.spaces[space] || {})[what];
      n.textContent = v === undefined ? "-" : (FORMATS[what] || fmtNum)(v);
    });
    document.querySelectorAll("[data-door]").forEach((n) => { n.setAttribute("class", "door " + (state.doors[n.dataset.door] || "unknown")); });
    document.querySelectorAll("[data-pump]").forEach((n) => { n.setAttribute("class", "pump " + (state.pumps[n.dataset.pump] || "unknown")); });
    document.querySelectorAll("[data-items]").forEach((n) => {
      const things = state.items[n.dataset.items] || [];
      if (!n.dataset.lines) { n.textContent = things.join(", "); return; }
      const x = n.getAttribute("x");
      n.replaceChildren(...things.map((t, i) => {
        const span = document.createElementNS("http://www.w3.org/2000/svg", "tspan");
        span.setAttribute("x", x);
        span.setAttribute("dy", i ? "14" : "0");
        span.textContent = t.length > 26 ? t.slice(0, 25) + "…" : t;
        return span;
      }));
    });
    const prompts = document.getElementById("prompts");  // a prompt opened or closed moves the mark too
    if (prompts && window.htmx) { window.htmx.trigger(prompts, "refresh"); }
    const count = document.getElementById("live-updates");
    if (count) count.textContent = String(Number(count.textContent) + 1);
    body.dataset.lastMark = state.mark.join(".");
    window.anodelineLastState = { at: performance.now(), mark: state.mark, state };
    const seen = (window.anodelineSteps = window.anodelineSteps || []);
    if (state.step && seen[seen.length - 1] !== state.step.index) { seen.push(state.step.index); if (seen.length > 500) seen.shift(); }
  }

  if (body.dataset.live) {
    const batch = body.dataset.batch;
    const source = new EventSource("/api/live/stream" + (batch ? "?batch=" + encodeURIComponent(batch) : ""));
    source.addEventListener("state", (e) => apply(JSON.parse(e.data)));
  }
})();
