// Shared helpers for every page: links to our pages, IRIs shortened by prefixes, SPARQL JSON terms, the search box.
"use strict";
const KG = (() => {
  const root = document.body.dataset.root || "";
  const base = document.body.dataset.base || "";
  const PAGES = ["entity/", "article/", "run/"];
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const WKT = "http://www.opengis.net/ont/geosparql#wktLiteral";
  const defaultPrefixes = JSON.parse(document.getElementById("kg-prefixes")?.textContent || "{}");
  // our own IRIs read better as entity:person/angela-merkel (display only)
  const ownPrefixes = Object.fromEntries(PAGES.map((p) => [p.slice(0, -1), base + p]));

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null) continue;
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  }

  // The URL of an IRI's page here (entity, article, run), else the IRI when it is http(s), else null.
  function href(iri) {
    if (base && iri.startsWith(base) && PAGES.some((p) => iri.slice(base.length).startsWith(p))) {
      return root + "/" + iri.slice(base.length);
    }
    return /^https?:\/\//i.test(iri) ? iri : null;
  }

  // PREFIX declarations of a query text (they win over the defaults).
  function declaredPrefixes(text) {
    const out = {};
    for (const m of (text || "").matchAll(/PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>/gi)) out[m[1] || ""] = m[2];
    return out;
  }

  function shorten(iri, prefixes = defaultPrefixes) {
    let best = null;
    for (const [p, ns] of Object.entries({ ...ownPrefixes, ...prefixes })) {
      if (ns && iri.startsWith(ns) && iri.length > ns.length && /^[\w.\/%-]+$/.test(iri.slice(ns.length))
          && (!best || ns.length > best[1].length)) best = [p, ns];
    }
    return best ? best[0] + ":" + iri.slice(best[1].length) : iri;
  }

  // A DOM node for a SPARQL JSON term: links for IRIs (shortened), text for literals.
  function term(t, prefixes) {
    if (!t) return document.createTextNode("");
    if (t.type === "uri") {
      const target = href(t.value);
      const text = shorten(t.value, prefixes);
      return target ? el("a", { href: target, title: t.value, text }) : el("span", { title: t.value, text });
    }
    if (t.type === "bnode") return document.createTextNode("_:" + t.value);
    if (t.type === "triple") {
      return document.createTextNode("<< " + ["subject", "predicate", "object"].map((k) => t.value[k].value).join(" ") + " >>");
    }
    const span = el("span", { text: t.value, title: t["xml:lang"] ? "@" + t["xml:lang"] : (t.datatype ? shorten(t.datatype, prefixes) : null) });
    return span;
  }

  const isNumber = (t) => t && t.type === "literal" && t.datatype && /#(integer|decimal|double|float|long|int|short|nonNegativeInteger)$/.test(t.datatype);
  const isDate = (t) => t && t.type === "literal" && ((t.datatype && /#(date|dateTime|gYear|gYearMonth)$/.test(t.datatype))
    || (!t.datatype && /^\d{4}-\d{2}(-\d{2})?$/.test(t.value)));
  const isPoint = (t) => t && t.type === "literal" && t.datatype === WKT && /point\s*\(/i.test(t.value);

  // Sets up the search box in the header: entities by name or alias as you type.
  function searchBox() {
    const input = document.getElementById("search");
    const list = document.getElementById("search-results");
    if (!input) return;
    let seq = 0;
    input.addEventListener("input", async () => {
      const q = input.value.trim();
      const mine = ++seq;
      if (!q) { list.replaceChildren(); list.hidden = true; return; }
      const r = await fetch(root + "/api/search?limit=10&q=" + encodeURIComponent(q));
      if (mine !== seq || !r.ok) return;
      const rows = await r.json();
      list.replaceChildren(...rows.map((x) => el("li", {}, el("a", { href: x.href, text: x.label }),
        el("span", { class: "muted", text: " " + x.class.replace("kg:", "") + " · " + x.mentions + " mentions" }))));
      if (!rows.length) list.append(el("li", { class: "muted", text: "no entity named like that" }));
      list.hidden = false;
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { const a = list.querySelector("a"); if (a) location.href = a.href; }
      if (e.key === "Escape") list.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", searchBox);
  return { root, base, el, href, shorten, declaredPrefixes, term, isNumber, isDate, isPoint, defaultPrefixes, XSD };
})();
