// The query page: CodeMirror editor (vendor/editor.js), named queries with parameters, the query in the URL,
// history in localStorage, errors marked in the editor, downloads, and result views (views.js).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const { el, root } = KG;
  const named = JSON.parse($("named-data").textContent);
  const terms = JSON.parse($("terms-data").textContent);
  const RESULT_FORMATS = ["json", "xml", "csv", "tsv"];
  const GRAPH_FORMATS = ["turtle", "nt", "jsonld", "xml", "trig", "nq"];
  const HISTORY_KEY = "kg-query-history", HISTORY_MAX = 50;
  let active = null; // the named query shown in the editor, while it is not edited
  let lastData = null, lastPrefixes = {}, view = "table";
  let loading = false;

  const editor = KGEditor.create($("editor"), $("query").value, {
    prefixes: KG.defaultPrefixes, terms, onRun: () => run(),
    onChange: () => { editor.setError(null); if (active && !loading) { active = null; $("named").value = ""; showParams(null); } },
  });
  window.kgEditor = editor;

  function showParams(q, values = {}) {
    $("params").replaceChildren();
    $("named-description").textContent = q ? q.description : "";
    if (!q) return;
    for (const p of q.params) {
      const input = el("input", { name: p.name, "data-param": p.name, placeholder: p.description });
      input.value = values[p.name] ?? p.default ?? "";
      input.addEventListener("keydown", (e) => { if (e.key === "Enter") run(); });
      $("params").append(el("label", { text: p.name + " (" + p.type + (p.required ? ", required" : "") + ") " }, input));
    }
  }

  function pick(name, values) {
    const q = named.find((x) => x.name === name) || null;
    $("named").value = q ? q.name : "";
    loading = true;
    if (q) editor.setValue(q.query);
    loading = false;
    active = q;
    showParams(q, values);
  }

  function paramValues() {
    const out = {};
    for (const input of $("params").querySelectorAll("input")) if (input.value) out[input.name] = input.value;
    return out;
  }

  // The URL that runs what the page shows (a named query with its parameters, or the editor's text).
  function target(format) {
    const params = new URLSearchParams(active ? paramValues() : { query: editor.getValue() });
    if (format) params.set("format", format);
    return root + (active ? "/queries/" + encodeURIComponent(active.name) : "/sparql") + "?" + params;
  }

  // The shareable address of this page for what it shows.
  function pageUrl() {
    const params = new URLSearchParams(active ? { named: active.name, ...paramValues() } : { query: editor.getValue() });
    if (view !== "table") params.set("view", view);
    return root + "/?" + params;
  }

  function downloads(formats) {
    $("downloads").replaceChildren("Download:", ...formats.map((f) =>
      el("a", { href: target(f), download: "results." + f, class: "download", text: f })));
  }

  function remember() {
    const entry = active ? { named: active.name, params: paramValues() } : { query: editor.getValue() };
    const list = loadHistory().filter((h) => JSON.stringify({ ...h, at: undefined }) !== JSON.stringify({ ...entry, at: undefined }));
    list.unshift({ ...entry, at: new Date().toISOString() });
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(list.slice(0, HISTORY_MAX))); } catch (e) { /* storage full or disabled */ }
    showHistory();
  }
  function loadHistory() {
    try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { return []; }
  }
  function showHistory() {
    const list = loadHistory();
    $("history").replaceChildren(el("option", { value: "", text: "History (" + list.length + ")" }), ...list.map((h, i) =>
      el("option", { value: i, text: h.at.slice(0, 16).replace("T", " ") + " · " + (h.named ? h.named : h.query.replace(/^(PREFIX[^\n]*\n)*/i, "").replace(/\s+/g, " ").slice(0, 60)) })));
  }
  $("history").addEventListener("change", (e) => {
    const h = loadHistory()[Number(e.target.value)];
    e.target.value = "";
    if (!h) return;
    if (h.named) pick(h.named, h.params); else { pick(""); editor.setValue(h.query); }
  });

  function showError(message) {
    $("status").textContent = "";
    $("downloads").replaceChildren();
    $("error").textContent = message;
    $("error").hidden = false;
    const m = /line (\d+), column (\d+): (.*)/.exec(message);
    if (m) editor.setError(Number(m[1]), Number(m[2]), m[3]);
  }

  function showViews() {
    $("views").replaceChildren(...KGViews.names.map((name) => {
      const b = el("button", { type: "button", "data-name": name, class: name === view ? "active" : "", text: name });
      b.disabled = !lastData || !KGViews.fits(name, lastData);
      b.addEventListener("click", () => { view = name; draw(); history.replaceState(null, "", pageUrl()); });
      return b;
    }));
  }
  function draw() {
    if (!lastData) return;
    if (!KGViews.fits(view, lastData)) view = "table";
    showViews();
    const box = el("div", { id: "view-" + view, class: "view" });
    $("output").replaceChildren(box);
    KGViews.render(view, box, lastData, { prefixes: lastPrefixes });
  }

  async function run() {
    const started = performance.now();
    $("error").hidden = true;
    editor.setError(null);
    $("output").replaceChildren();
    lastData = null;
    showViews();
    $("status").textContent = "running…";
    history.replaceState(null, "", pageUrl());
    remember();
    const headers = { Accept: "application/sparql-results+json, text/turtle;q=0.9" };
    let response;
    try {
      response = active ? await fetch(target(null), { headers })
        : await fetch(root + "/sparql", { method: "POST", headers, body: new URLSearchParams({ query: editor.getValue() }) });
    } catch (err) {
      return showError("request failed: " + err);
    }
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) return showError(response.status + " " + response.statusText + ": " + (await response.text()).trim());
    const ms = Math.round(performance.now() - started);
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      downloads(RESULT_FORMATS);
      if ("boolean" in data) { $("status").textContent = "ASK: " + data.boolean + " (" + ms + " ms)"; return; }
      lastData = data;
      lastPrefixes = { ...KG.defaultPrefixes, ...KG.declaredPrefixes(editor.getValue()) };
      draw();
      $("status").textContent = data.results.bindings.length + " rows (" + ms + " ms)";
    } else {
      downloads(GRAPH_FORMATS);
      $("output").replaceChildren(el("pre", { id: "graph", text: await response.text() }));
      $("status").textContent = "graph (" + ms + " ms)";
    }
  }

  $("named").addEventListener("change", (e) => pick(e.target.value));
  $("run").addEventListener("click", run);
  document.addEventListener("keydown", (e) => {  // Ctrl-Enter anywhere on the page (the editor has its own key)
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !editor.view.hasFocus) { e.preventDefault(); run(); }
  });
  showHistory();
  showViews();
  // A shared link: /?query=…, /?named=NAME&param=…, or /queries/NAME?param=… opened in a browser.
  const url = new URLSearchParams(location.search);
  const initialNamed = document.body.dataset.named || url.get("named");
  view = url.get("view") || "table";
  if (initialNamed) {
    const values = Object.fromEntries([...url].filter(([k]) => !["named", "view", "format"].includes(k)));
    pick(initialNamed, values);
    if (active) run();
  } else if (url.get("query")) {
    editor.setValue(url.get("query"));
    run();
  }
})();
