// Views of SPARQL JSON results: a paged, sortable table and, when the variables fit, a timeline, a map, a network
// and a chart (as the Wikidata Query Service offers). Pages embed results as <script type="application/json">
// next to a <div data-view="NAME" data-source="ID">; the query page calls KGViews.render.
"use strict";
const KGViews = (() => {
  const { el, term, href, shorten, isNumber, isDate, isPoint } = KG;
  const SVG = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs = {}) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const vars = (data) => data.head.vars;
  const rows = (data) => data.results.bindings;
  const firstVar = (data, test, except = []) => vars(data).find((v) => !except.includes(v) && rows(data).some((r) => test(r[v])));
  const labelOf = (data, row, v) => {
    const lv = [v + "_label", v + "Label", "label", "headline", "name"].find((x) => vars(data).includes(x) && row[x]);
    return lv ? row[lv].value : (row[v] ? shorten(row[v].value) : "");
  };
  const dateValue = (t) => Date.parse(t.value.length === 4 ? t.value + "-01-01" : t.value.length === 7 ? t.value + "-01" : t.value);

  // --- table
  function table(box, data, { prefixes, pageSize = 50 } = {}) {
    const state = { page: 0, size: pageSize, sortVar: null, dir: 1 };
    const all = rows(data).slice();
    const compare = (a, b) => {
      const x = a[state.sortVar], y = b[state.sortVar];
      if (!x || !y) return (!x) - (!y);
      if (isNumber(x) && isNumber(y)) return Number(x.value) - Number(y.value);
      return x.value.localeCompare(y.value, undefined, { numeric: true });
    };
    function draw() {
      const sorted = state.sortVar ? all.slice().sort((a, b) => state.dir * compare(a, b)) : all;
      const pages = Math.max(1, Math.ceil(sorted.length / state.size));
      state.page = Math.min(state.page, pages - 1);
      const head = el("tr", {}, ...vars(data).map((v) => {
        const th = el("th", { "data-var": v, class: "sortable", title: "sort by ?" + v,
          "aria-sort": state.sortVar === v ? (state.dir > 0 ? "ascending" : "descending") : null, text: "?" + v });
        if (state.sortVar === v) th.append(state.dir > 0 ? " ▲" : " ▼");
        th.addEventListener("click", () => { state.dir = state.sortVar === v ? -state.dir : 1; state.sortVar = v; state.page = 0; draw(); });
        return th;
      }));
      const body = sorted.slice(state.page * state.size, (state.page + 1) * state.size)
        .map((r) => el("tr", {}, ...vars(data).map((v) => el("td", {}, term(r[v], prefixes)))));
      const pager = el("div", { class: "pager" });
      const button = (text, page, id) => {
        const b = el("button", { type: "button", id, text });
        b.disabled = page < 0 || page >= pages || page === state.page;
        b.addEventListener("click", () => { state.page = page; draw(); });
        return b;
      };
      const size = el("select", { id: "page-size", "aria-label": "rows per page" },
        ...[20, 50, 100, 500].map((n) => { const o = el("option", { value: n, text: n + " rows" }); o.selected = n === state.size; return o; }));
      size.addEventListener("change", () => { state.size = Number(size.value); state.page = 0; draw(); });
      pager.append(button("« first", 0, "page-first"), button("‹ previous", state.page - 1, "page-prev"),
        el("span", { id: "page-info", text: ` page ${state.page + 1} of ${pages} (${sorted.length} rows) ` }),
        button("next ›", state.page + 1, "page-next"), button("last »", pages - 1, "page-last"), size);
      box.replaceChildren(el("table", { class: "results", id: "results" }, el("thead", {}, head), el("tbody", {}, ...body)), pager);
    }
    draw();
  }

  // --- timeline: one dot per row with a date, in lanes so that labels do not overlap
  function timelineFits(data) { return !!firstVar(data, isDate); }
  function timeline(box, data) {
    const dv = firstVar(data, isDate);
    const linkVar = firstVar(data, (t) => t && t.type === "uri");
    const items = rows(data).filter((r) => isDate(r[dv])).map((r) => ({ t: dateValue(r[dv]), date: r[dv].value,
      label: labelOf(data, r, linkVar || dv), link: linkVar && r[linkVar] ? href(r[linkVar].value) : null,
      kind: r.kind ? r.kind.value : "" })).filter((x) => !isNaN(x.t)).sort((a, b) => a.t - b.t);
    const W = Math.max(box.clientWidth || 800, 400), laneH = 22, pad = 30;
    const min = items.length ? items[0].t : 0, max = items.length ? items[items.length - 1].t : 1;
    const x = (t) => pad + (max === min ? (W - 2 * pad) / 2 : (t - min) / (max - min) * (W - 2 * pad));
    const lanes = [];
    for (const it of items) {
      it.x = x(it.t);
      let lane = lanes.findIndex((end) => end < it.x - 4);
      if (lane < 0) { lane = lanes.length; lanes.push(0); }
      lanes[lane] = it.x + Math.min(7 * Math.min(it.label.length, 32), 230);
      it.lane = Math.min(lane, 40);
    }
    const H = pad + (Math.min(lanes.length, 41) + 1) * laneH + pad;
    const s = svg("svg", { class: "timeline", width: W, height: H, viewBox: `0 0 ${W} ${H}` });
    s.append(svg("line", { x1: pad, x2: W - pad, y1: H - pad, y2: H - pad, class: "axis" }));
    for (const it of items.length ? [items[0], items[items.length - 1]] : []) {
      const tick = svg("text", { x: it.x, y: H - pad + 16, class: "tick", "text-anchor": "middle" });
      tick.textContent = it.date.slice(0, 10);
      s.append(tick);
    }
    for (const it of items) {
      const y = H - pad - (it.lane + 1) * laneH;
      const g = svg("g", { class: "tl-item " + it.kind });
      g.append(svg("line", { x1: it.x, x2: it.x, y1: y, y2: H - pad, class: "stem" }));
      g.append(svg("circle", { cx: it.x, cy: y, r: 5 }));
      const right = it.x > W * 0.7;  // labels near the right edge go to the left of their dot
      const text = svg("text", { x: right ? it.x - 8 : it.x + 8, y: y + 4, "text-anchor": right ? "end" : "start" });
      text.textContent = it.label.length > 32 ? it.label.slice(0, 31) + "…" : it.label;
      const title = svg("title");
      title.textContent = it.date + " · " + it.label;
      g.append(text, title);
      if (it.link) { const a = svg("a", { href: it.link }); a.append(g); s.append(a); } else s.append(g);
    }
    box.replaceChildren(s);
    box.dataset.items = items.length;
  }

  // --- map: Natural Earth country outlines (world-atlas) and one dot per place with a point
  function points(data) {
    const pv = firstVar(data, isPoint);
    const latV = vars(data).find((v) => /^(lat|latitude)$/i.test(v)), lonV = vars(data).find((v) => /^(lon|lng|long|longitude)$/i.test(v));
    const linkVar = firstVar(data, (t) => t && t.type === "uri");
    const seen = new Map();
    for (const r of rows(data)) {
      let lon, lat;
      if (pv && isPoint(r[pv])) [lon, lat] = r[pv].value.replace(/^.*\(\s*|\s*\).*$/g, "").split(/\s+/).map(Number);
      else if (latV && lonV && r[latV] && r[lonV]) [lon, lat] = [Number(r[lonV].value), Number(r[latV].value)];
      if (!isFinite(lon) || !isFinite(lat)) continue;
      const key = (linkVar && r[linkVar] ? r[linkVar].value : "") + " " + lon + " " + lat;
      if (!seen.has(key)) seen.set(key, { lon, lat, label: labelOf(data, r, linkVar || pv), link: linkVar && r[linkVar] ? href(r[linkVar].value) : null });
    }
    return [...seen.values()];
  }
  function mapFits(data) { return points(data).length > 0; }
  function map(box, data) {
    const { geoNaturalEarth1, geoPath, geoGraticule10, countries } = KGViz;
    const W = Math.max(box.clientWidth || 800, 400), H = Math.round(W * 0.52);
    const projection = geoNaturalEarth1().fitSize([W, H], { type: "Sphere" });
    const path = geoPath(projection);
    const s = svg("svg", { class: "map", width: W, height: H, viewBox: `0 0 ${W} ${H}` });
    s.append(svg("path", { d: path({ type: "Sphere" }), class: "sphere" }), svg("path", { d: path(geoGraticule10()), class: "graticule" }));
    for (const f of countries().features) {
      const p = svg("path", { d: path(f) || "", class: "country" });
      const t = svg("title"); t.textContent = f.properties.name; p.append(t);
      s.append(p);
    }
    const found = points(data);
    for (const pt of found) {
      const [cx, cy] = projection([pt.lon, pt.lat]);
      const c = svg("circle", { cx, cy, r: 5, class: "map-point" });
      const t = svg("title"); t.textContent = pt.label; c.append(t);
      if (pt.link) { const a = svg("a", { href: pt.link }); a.append(c); s.append(a); } else s.append(c);
    }
    box.replaceChildren(s);
    box.dataset.items = found.length;
  }

  // --- network: the first two IRI columns are the ends of an edge; a number column is its weight
  function edges(data) {
    const ends = vars(data).filter((v) => rows(data).some((r) => r[v] && r[v].type === "uri" && !/#[A-Z]\w*$/.test(r[v].value))).slice(0, 2);
    if (ends.length < 2) return null;
    const wv = firstVar(data, isNumber);
    return { ends, list: rows(data).filter((r) => r[ends[0]] && r[ends[1]]).map((r) => ({ a: r[ends[0]].value, b: r[ends[1]].value,
      al: labelOf(data, r, ends[0]), bl: labelOf(data, r, ends[1]), w: wv && r[wv] ? Number(r[wv].value) : 1 })) };
  }
  function networkFits(data) { const e = edges(data); return !!(e && e.list.length); }
  function network(box, data) {
    const { list } = edges(data);
    const nodes = new Map(), elements = [];
    for (const e of list) {
      for (const [id, label] of [[e.a, e.al], [e.b, e.bl]]) if (!nodes.has(id)) nodes.set(id, { data: { id, label, href: href(id) } });
      elements.push({ data: { id: e.a + " " + e.b, source: e.a, target: e.b, w: e.w } });
    }
    const max = Math.max(1, ...list.map((e) => e.w));
    box.replaceChildren();
    box.classList.add("network");
    const cy = KGViz.cytoscape({ container: box, elements: [...nodes.values(), ...elements],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000 },
      style: [{ selector: "node", style: { label: "data(label)", "font-size": 11, "background-color": "#3b6ea8", width: 14, height: 14, color: "#222" } },
        { selector: "edge", style: { width: (e) => 1 + 4 * e.data("w") / max, "line-color": "#b8c4d4", opacity: 0.8 } }] });
    cy.on("tap", "node", (ev) => { const h = ev.target.data("href"); if (h) location.href = h; });
    box.dataset.nodes = cy.nodes().length;
    box.dataset.edges = cy.edges().length;
    box.kgCy = cy;
  }

  // --- chart: counts over time (a date column bucketed by month, summed over a number column or counted)
  function chartFits(data) { return !!firstVar(data, isDate); }
  function chart(box, data) {
    const dv = firstVar(data, isDate), nv = firstVar(data, isNumber, [dv]);
    const buckets = new Map();
    for (const r of rows(data)) {
      if (!isDate(r[dv])) continue;
      const key = r[dv].value.slice(0, 7);
      buckets.set(key, (buckets.get(key) || 0) + (nv && r[nv] ? Number(r[nv].value) : 1));
    }
    const keys = [...buckets.keys()].sort();
    const W = Math.max(box.clientWidth || 800, 400), H = 260, pad = 36;
    const max = Math.max(1, ...buckets.values());
    const bw = (W - 2 * pad) / Math.max(keys.length, 1);
    const s = svg("svg", { class: "chart", width: W, height: H, viewBox: `0 0 ${W} ${H}` });
    s.append(svg("line", { x1: pad, x2: W - pad, y1: H - pad, y2: H - pad, class: "axis" }));
    const top = svg("text", { x: 4, y: pad - 6, class: "tick" });
    top.textContent = max + (nv ? " " + nv : " rows");
    s.append(top);
    keys.forEach((k, i) => {
      const h = (H - 2 * pad) * buckets.get(k) / max;
      const bar = svg("rect", { x: pad + i * bw + 1, y: H - pad - h, width: Math.max(bw - 2, 1), height: h, class: "bar" });
      const t = svg("title"); t.textContent = k + ": " + buckets.get(k); bar.append(t);
      s.append(bar);
      if (keys.length <= 24 || i % Math.ceil(keys.length / 12) === 0) {
        const label = svg("text", { x: pad + i * bw + bw / 2, y: H - pad + 14, class: "tick", "text-anchor": "middle" });
        label.textContent = k; s.append(label);
      }
    });
    box.replaceChildren(s);
    box.dataset.items = keys.length;
  }

  const PICTURES = { timeline: [timelineFits, timeline], map: [mapFits, map], network: [networkFits, network], chart: [chartFits, chart] };

  function render(name, box, data, options) {
    if (name === "table") return table(box, data, options);
    const [, draw] = PICTURES[name];
    if (name === "map" && typeof KGViz === "undefined") return;
    return draw(box, data, options);
  }
  const fits = (name, data) => name === "table" || PICTURES[name][0](data);

  // pages: every [data-view] element draws the JSON its data-source names
  function drawPage() {
    for (const box of document.querySelectorAll("[data-view]")) {
      const data = JSON.parse(document.getElementById(box.dataset.source).textContent);
      if (rows(data).length && fits(box.dataset.view, data)) render(box.dataset.view, box, data);
      else box.replaceChildren(el("p", { class: "muted", text: "nothing to show" }));
    }
  }
  document.addEventListener("DOMContentLoaded", drawPage);
  return { render, fits, names: ["table", ...Object.keys(PICTURES)] };
})();
