// The query page: named-query picker, run, results table with links, downloads, errors. No libraries.
"use strict";
const $ = (id) => document.getElementById(id);
const root = document.body.dataset.root || "";
const base = document.body.dataset.base;
const named = JSON.parse($("named-data").textContent);
const PAGES = ["entity/", "article/", "run/"];
const RESULT_FORMATS = ["json", "xml", "csv", "tsv"];
const GRAPH_FORMATS = ["turtle", "nt", "jsonld", "xml", "trig", "nq"];
let active = null; // the named query shown in the editor, while it is not edited

// The href of an IRI: its page here when under the base, the IRI itself when http(s), else our /resource page
// for it (a javascript: or data: IRI in a result never becomes a link that runs).
function localLink(iri) {
  if (iri.startsWith(base) && PAGES.some((p) => iri.slice(base.length).startsWith(p))) {
    return root + "/" + iri.slice(base.length);
  }
  if (/^https?:\/\//i.test(iri)) return iri;
  return root + "/resource?iri=" + encodeURIComponent(iri);
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = localLink(term.value);
    a.textContent = term.value;
    td.appendChild(a);
  } else if (term.type === "bnode") {
    td.textContent = "_:" + term.value;
  } else if (term.type === "triple") {
    td.textContent = "<< " + ["subject", "predicate", "object"].map((k) => term.value[k].value).join(" ") + " >>";
  } else {
    td.textContent = term.value;
    if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
    else if (term.datatype) td.title = term.datatype;
  }
  return td;
}

function showParams(q) {
  const box = $("params");
  box.replaceChildren();
  $("named-description").textContent = q ? q.description : "";
  if (!q) return;
  for (const p of q.params) {
    const label = document.createElement("label");
    label.textContent = p.name + " (" + p.type + (p.required ? ", required" : "") + ") ";
    const input = document.createElement("input");
    input.name = p.name;
    input.value = p.default || "";
    input.placeholder = p.description;
    input.dataset.param = p.name;
    label.appendChild(input);
    box.appendChild(label);
  }
}

function pick(name) {
  const q = named.find((x) => x.name === name) || null;
  $("named").value = q ? q.name : "";
  if (q) $("query").value = q.query;
  active = q;
  showParams(q);
}

function target(format) {
  // The URL that runs what the page shows (a named query with its parameters, or the editor's text).
  const params = new URLSearchParams();
  if (active) {
    for (const input of $("params").querySelectorAll("input")) if (input.value) params.set(input.name, input.value);
    if (format) params.set("format", format);
    return root + "/queries/" + encodeURIComponent(active.name) + "?" + params;
  }
  params.set("query", $("query").value);
  if (format) params.set("format", format);
  return root + "/sparql?" + params;
}

function downloads(formats) {
  const box = $("downloads");
  box.replaceChildren(document.createTextNode("Download:"));
  for (const f of formats) {
    const a = document.createElement("a");
    a.href = target(f);
    a.textContent = f;
    a.setAttribute("download", "results." + f);
    a.className = "download";
    box.appendChild(a);
  }
}

async function run() {
  const started = performance.now();
  $("error").hidden = true;
  $("graph").hidden = true;
  $("results").replaceChildren();
  $("status").textContent = "running…";
  const headers = { Accept: "application/sparql-results+json, text/turtle;q=0.9" };
  let response;
  try {
    if (active) {
      response = await fetch(target(null), { headers });
    } else {
      response = await fetch(root + "/sparql", { method: "POST", headers,
        body: new URLSearchParams({ query: $("query").value }) });
    }
  } catch (err) {
    return fail("request failed: " + err);
  }
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok) return fail(response.status + " " + response.statusText + "\n" + (await response.text()));
  const ms = Math.round(performance.now() - started);
  if (type.startsWith("application/sparql-results+json")) {
    const data = await response.json();
    downloads(RESULT_FORMATS);
    if ("boolean" in data) {
      $("status").textContent = "ASK: " + data.boolean + " (" + ms + " ms)";
      return;
    }
    render(data);
    $("status").textContent = data.results.bindings.length + " rows (" + ms + " ms)";
  } else {
    downloads(GRAPH_FORMATS);
    $("graph").textContent = await response.text();
    $("graph").hidden = false;
    $("status").textContent = "graph (" + ms + " ms)";
  }
}

function render(data) {
  const table = $("results");
  const head = document.createElement("tr");
  for (const v of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = "?" + v;
    head.appendChild(th);
  }
  const thead = document.createElement("thead");
  thead.appendChild(head);
  const tbody = document.createElement("tbody");
  for (const b of data.results.bindings) {
    const tr = document.createElement("tr");
    for (const v of data.head.vars) tr.appendChild(cell(b[v]));
    tbody.appendChild(tr);
  }
  table.replaceChildren(thead, tbody);
}

function fail(message) {
  $("status").textContent = "";
  $("downloads").replaceChildren();
  $("error").textContent = message;
  $("error").hidden = false;
}

$("named").addEventListener("change", (e) => pick(e.target.value));
$("query").addEventListener("input", () => { if (active) { active = null; $("named").value = ""; showParams(null); } });
$("run").addEventListener("click", run);
document.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
const initial = new URLSearchParams(location.search).get("named");
if (initial) pick(initial);
