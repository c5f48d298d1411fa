// The epiplan workbench page: the editor with its line numbers and problems,
// the run settings, runs with live progress, and the list of runs.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { file: "scenario.yaml", problems: [], timer: 0, seq: 0, run: null, source: null };

function settings() {
  const form = new FormData();
  form.set("yaml", $("yaml").value);
  // A library file or an upload changed in the editor is a file of its own.
  let file = state.file;
  if (state.loaded !== undefined && $("yaml").value !== state.loaded) file = file.replace(/(\.ya?ml)?$/, "-edited.yaml");
  form.set("file", file);
  form.set("replications", $("replications").value);
  form.set("seed", $("seed").value);
  const knobs = [...document.querySelectorAll("#knobs input")].filter((i) => i.value.trim() !== "")
    .map((i) => i.dataset.path + "=" + i.value.trim());
  form.set("sets", knobs.concat([$("sets").value]).join("\n"));
  return form;
}

// The gutter: one number a line, problems marked at their lines.
function drawGutter() {
  const lines = $("yaml").value.split("\n").length;
  const byLine = new Map();
  for (const p of state.problems) {
    if (p.line > 0) byLine.set(p.line, (byLine.has(p.line) ? byLine.get(p.line) + "\n" : "") + p.message);
  }
  const gutter = $("gutter");
  gutter.replaceChildren();
  for (let i = 1; i <= lines; i++) {
    const d = document.createElement("div");
    d.textContent = String(i);
    d.dataset.line = String(i);
    if (byLine.has(i)) {
      d.className = "bad";
      d.title = byLine.get(i);
    }
    gutter.appendChild(d);
  }
  gutter.scrollTop = $("yaml").scrollTop;
}

function goToLine(line, column) {
  const ta = $("yaml");
  const lines = ta.value.split("\n");
  let at = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
  at += Math.max(0, (column || 1) - 1);
  ta.focus();
  ta.setSelectionRange(at, at);
  const lh = parseFloat(getComputedStyle(ta).lineHeight) || 20;
  ta.scrollTop = Math.max(0, (line - 5) * lh);
  drawGutter();
}

// The common settings, each with the file's value shown until one is typed.
function drawKnobs(knobs) {
  const box = $("knobs");
  const paths = knobs.map((k) => k.path).join(" ");
  if (box.dataset.paths !== paths) {
    const kept = {};
    for (const i of box.querySelectorAll("input")) kept[i.dataset.path] = i.value;
    box.replaceChildren();
    for (const k of knobs) {
      const label = document.createElement("label");
      const span = document.createElement("span");
      span.textContent = k.label;
      const input = document.createElement("input");
      input.type = "number";
      input.step = "any";
      input.min = "0";
      input.dataset.path = k.path;
      input.title = k.path;
      input.value = kept[k.path] || "";
      input.addEventListener("input", checkSoon);
      label.append(span, input);
      box.appendChild(label);
    }
    box.dataset.paths = paths;
  }
  for (const k of knobs) {
    const input = box.querySelector('input[data-path="' + k.path + '"]');
    if (input) input.placeholder = String(k.value);
  }
}

function listProblems(c) {
  if (c.knobs) drawKnobs(c.knobs);
  state.problems = c.problems || [];
  const ul = $("problems");
  ul.replaceChildren();
  ul.className = c.ok ? "ok" : "";
  for (const p of state.problems) {
    const li = document.createElement("li");
    li.dataset.line = String(p.line);
    if (p.line > 0) {
      const a = document.createElement("a");
      a.href = "#";
      a.textContent = "line " + p.line + ", column " + p.column;
      a.addEventListener("click", (e) => { e.preventDefault(); goToLine(p.line, p.column); });
      li.append(a, ": " + p.message);
    } else {
      li.textContent = p.message;
    }
    ul.appendChild(li);
  }
  const fp = $("form-problems");
  fp.replaceChildren();
  for (const m of c.form || []) {
    const li = document.createElement("li");
    li.textContent = m;
    fp.appendChild(li);
  }
  $("check-summary").textContent = c.ok ? "ok: " + c.summary
    : (state.problems.length + (c.form || []).length) + " problem(s)";
  drawGutter();
}

async function check() {
  const seq = ++state.seq;
  try {
    const r = await fetch("/api/validate", { method: "POST", body: settings() });
    const c = await r.json();
    if (seq === state.seq) listProblems(c);
  } catch (e) {
    $("check-summary").textContent = "could not check: " + e;
  }
}

function checkSoon() {
  clearTimeout(state.timer);
  state.timer = setTimeout(check, 400);
}

async function loadLibrary() {
  const name = $("library").value;
  const r = await fetch("/api/library/" + encodeURIComponent(name));
  if (!r.ok) {
    $("check-summary").textContent = await r.text();
    return;
  }
  $("yaml").value = await r.text();
  state.loaded = $("yaml").value;
  state.file = name + ".yaml";
  $("filename").textContent = "library/" + state.file;
  $("yaml").scrollTop = 0;
  drawGutter();
  check();
}

function upload() {
  const f = $("upload").files[0];
  if (!f) return;
  if (f.size > 512 * 1024) {
    listProblems({ ok: false, problems: [{ line: 0, column: 0, message: f.name + ": the file is " + f.size + " bytes, more than the limit of 512 KiB" }] });
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    $("yaml").value = String(reader.result);
    state.loaded = $("yaml").value;
    state.file = f.name;
    $("filename").textContent = f.name + " (uploaded)";
    drawGutter();
    check();
  };
  reader.readAsText(f);
}

// The list of runs, drawn from /api/runs.
async function refreshRuns() {
  const r = await fetch("/api/runs");
  const runs = await r.json();
  const tbody = $("runs").tBodies[0];
  const checked = { a: (document.querySelector("input[name=a]:checked") || {}).value, b: (document.querySelector("input[name=b]:checked") || {}).value };
  tbody.replaceChildren();
  if (!runs || runs.length === 0) {
    const tr = tbody.insertRow();
    tr.className = "empty";
    const td = tr.insertCell();
    td.colSpan = 6;
    td.textContent = "No runs yet.";
    return;
  }
  for (const ru of runs) {
    const tr = tbody.insertRow();
    tr.dataset.id = ru.id;
    tr.dataset.state = ru.state;
    for (const side of ["a", "b"]) {
      const td = tr.insertCell();
      if (ru.state === "done") {
        const input = document.createElement("input");
        input.type = "radio";
        input.name = side;
        input.value = ru.id;
        input.checked = checked[side] === ru.id;
        input.setAttribute("aria-label", "compare " + ru.id + " as " + side.toUpperCase());
        td.appendChild(input);
      }
    }
    const id = tr.insertCell();
    const code = document.createElement("code");
    code.textContent = ru.id;
    id.appendChild(code);
    const sc = tr.insertCell();
    sc.append(ru.scenario || "", document.createElement("br"));
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = ru.summary || (ru.state === "running" ? ru.done + "/" + ru.total + " runs" : "");
    sc.appendChild(meta);
    const st = tr.insertCell();
    st.className = "state";
    st.textContent = ru.state + (ru.error ? ": " + ru.error : "");
    const link = tr.insertCell();
    if (ru.state === "done") {
      const a = document.createElement("a");
      a.className = "open-report";
      a.href = "/runs/" + encodeURIComponent(ru.id) + "/report.html";
      a.target = "report";
      a.textContent = "report";
      link.appendChild(a);
    }
  }
}

function openReport(id) {
  $("report").src = "/runs/" + encodeURIComponent(id) + "/report.html";
  $("report-caption").textContent = "Report of " + id;
}

function follow(info) {
  state.run = info.id;
  $("progress-panel").hidden = false;
  $("run-id").textContent = info.id;
  $("cancel").disabled = false;
  const show = (i) => {
    $("progress").max = Math.max(1, i.total);
    $("progress").value = i.done;
    $("run-status").textContent = i.state === "running"
      ? i.done + " of " + i.total + " runs done"
      : i.state + (i.error ? ": " + i.error : "") + " (" + i.done + " of " + i.total + " runs)";
    $("run-status").dataset.state = i.state;
  };
  show(info);
  if (state.source) state.source.close();
  const es = new EventSource("/api/runs/" + encodeURIComponent(info.id) + "/events");
  state.source = es;
  $("progress").dataset.events = "0";
  es.addEventListener("progress", (e) => {
    $("progress").dataset.events = String(Number($("progress").dataset.events) + 1);
    show(JSON.parse(e.data));
  });
  es.addEventListener("end", (e) => {
    const i = JSON.parse(e.data);
    es.close();
    state.source = null;
    if (i.state === "done") i.done = i.total;
    show(i);
    $("cancel").disabled = true;
    $("run").disabled = false;
    refreshRuns();
    if (i.state === "done") openReport(i.id);
  });
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) $("run-status").textContent += " (connection lost)";
  };
  refreshRuns();
}

async function start(e) {
  e.preventDefault();
  $("run").disabled = true;
  try {
    const r = await fetch("/api/runs", { method: "POST", body: settings() });
    const body = await r.json();
    if (r.status !== 202) {
      listProblems(body);
      $("run").disabled = false;
      return;
    }
    follow(body);
  } catch (err) {
    $("check-summary").textContent = "could not start: " + err;
    $("run").disabled = false;
  }
}

async function cancel() {
  if (!state.run) return;
  $("cancel").disabled = true;
  $("run-status").textContent = "cancelling…";
  await fetch("/api/runs/" + encodeURIComponent(state.run) + "/cancel", { method: "POST" });
}

document.addEventListener("DOMContentLoaded", () => {
  $("yaml").addEventListener("input", () => { drawGutter(); checkSoon(); });
  $("yaml").addEventListener("scroll", () => { $("gutter").scrollTop = $("yaml").scrollTop; });
  for (const id of ["replications", "seed", "sets"]) $(id).addEventListener("input", checkSoon);
  $("load").addEventListener("click", loadLibrary);
  $("upload").addEventListener("change", upload);
  $("check").addEventListener("click", check);
  $("settings").addEventListener("submit", start);
  $("cancel").addEventListener("click", cancel);
  $("runs").addEventListener("click", (e) => {
    const a = e.target.closest("a.open-report");
    if (a) {
      e.preventDefault();
      openReport(a.closest("tr").dataset.id);
    }
  });
  $("compare-form").addEventListener("submit", (e) => {
    const a = document.querySelector("input[name=a]:checked"), b = document.querySelector("input[name=b]:checked");
    if (!a || !b) {
      e.preventDefault();
      $("compare-note").textContent = "Choose a run as A and another as B.";
    }
  });
  drawGutter();
  loadLibrary();
  // A run under way (the page was reloaded): follow it again.
  const running = document.querySelector('#runs tr[data-state="running"]');
  if (running) {
    fetch("/api/runs").then((r) => r.json()).then((runs) => {
      const ru = (runs || []).find((x) => x.id === running.dataset.id);
      if (ru && ru.state === "running") follow(ru);
    });
  }
});
