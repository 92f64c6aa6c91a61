// Rendering a why401 report (docs/report.md) and a comparison
// (docs/diff.md) as DOM, shared by the page (web/app.js) and the DevTools
// panel (extension/panel.js). It reads only the report's JSON; fields it
// does not know are left alone.
import { el, copyButton, sizeText, textNode, visible, urlView, hostView, hostLabel, hostOf } from "./dom.js";

const TABLE_PAGE = 500; // rows rendered at once in the HAR table

export const VERDICT_WORDS = {
  auth: "Genuine authentication failure",
  forbidden: "Authorization refused (forbidden)",
  proxy_auth: "A proxy wants credentials",
  bot: "Bot block in disguise",
  rate_limit: "Rate limited",
  ok: "No problem found",
  unknown: "Not enough to say",
};
export const SHORT_WORDS = {
  auth: "auth failure", forbidden: "forbidden", proxy_auth: "proxy auth", bot: "bot block",
  rate_limit: "rate limit", ok: "ok", unknown: "unknown",
};
export const words = (v) => VERDICT_WORDS[v] || String(v);

function dataAttrs(e) {
  return { "data-index": e.index, "data-verdict": e.verdict, "data-vendor": e.vendor ?? "", "data-scheme": e.scheme ?? "", "data-cause": e.cause ?? "" };
}

export function card(e) {
  const id = `card-${e.index}`;
  const c = el("article", { class: "card", id, "aria-labelledby": id + "-h", ...dataAttrs(e) });
  c.append(el("h3", { id: id + "-h" },
    el("span", { class: "verdict" }, words(e.verdict)), " ",
    el("span", { class: "conf" }, `${Math.round((e.confidence || 0) * 100)}% confidence`)));
  c.append(el("p", { class: "req" }, `#${e.index} `, e.method || e.url ? el("code", {}, `${e.method || "?"} `, e.url ? urlView(e.url) : "") : el("span", { class: "muted" }, "(response only, no request in the capture)"), ` → ${e.status || "no response"}`));
  const tags = el("dl", { class: "tags" });
  const action = e.action && e.action !== "none" ? ACTION_WORDS[e.action] || String(e.action).replaceAll("_", " ") : null;
  for (const [k, v, field] of [["Vendor", e.vendor, "vendor"], ["Scheme", e.scheme, "scheme"], ["Cause", e.cause, "cause"],
    ["Action", action, "action"], ["Wait", waitText(e), "wait"], ["Reference", e.reference, "reference"]]) {
    if (v) tags.append(el("div", { "data-field": field }, el("dt", {}, k), el("dd", {}, value(v))));
  }
  if (tags.childElementCount) c.append(tags);
  c.append(el("p", { class: "summary" }, e.summary));
  if (e.message) {
    // The server's own words (a JSON error's message, a page's title): a
    // quote from the capture, shown as such.
    c.append(el("figure", { class: "server-message" }, el("figcaption", {}, "The server said"), el("blockquote", {}, value(e.message))));
  }
  if (e.evidence?.length) {
    const ul = el("ul", { class: "evidence" });
    for (const ev of e.evidence) {
      ul.append(el("li", {}, el("span", { class: "where" }, ev.where + (ev.entry != null ? ` (entry ${ev.entry})` : "")), " ", ev.text));
    }
    c.append(el("h4", {}, "Evidence"), ul);
  }
  if (e.fixes?.length) {
    c.append(el("h4", {}, "How to fix"));
    for (const f of e.fixes) {
      const sec = el("section", { class: "fix" }, el("h5", {}, f.title));
      if (f.steps?.length) sec.append(el("ol", {}, f.steps.map((s) => el("li", {}, s))));
      for (const code of f.code ?? []) {
        const pre = el("pre", { "data-lang": code.lang, tabindex: 0 }, el("code", {}, textNode(code.text, "\n\t")));
        sec.append(el("div", { class: "snippet" },
          el("div", { class: "snip-head" }, el("span", {}, code.lang), copyButton(() => code.text, `Copy ${code.lang}`)), pre));
      }
      c.append(sec);
    }
  }
  // Fields this page does not know yet (the report grows: docs/report.md),
  // shown as they are rather than left out.
  const more = Object.entries(e).filter(([k, v]) => !CARD_FIELDS.has(k) && v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length));
  if (more.length) {
    c.append(el("h4", {}, "Also in the report"), el("dl", { class: "more-fields" },
      more.map(([k, v]) => el("div", { "data-field": k }, el("dt", {}, k.replaceAll("_", " ")), el("dd", {}, value(v))))));
  }
  return c;
}

// The exchange fields card() shows in their place (or leaves out on purpose:
// lite marks a summary sent by the worker).
const CARD_FIELDS = new Set(["index", "method", "url", "status", "verdict", "confidence", "vendor", "scheme", "cause",
  "action", "wait_seconds", "wait_until", "reference", "message", "time", "summary", "evidence", "fixes", "lite"]);

const ACTION_WORDS = {
  retry: "retry (a handshake step)", refresh_credentials: "refresh the credentials", rotate_session: "a new session",
  slow_down: "slow down", stop: "stop: a person must look", fix_proxy: "fix the proxy",
};

// waitText: "30 s, until 2026-11-03T12:00:34Z" from wait_seconds and wait_until.
function waitText(e) {
  if (!e.wait_seconds && !e.wait_until) return null;
  const s = Number(e.wait_seconds) || 0;
  const d = s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 120 ? `${Math.round(s / 60)} min` : s ? `${s} s` : "";
  return [d, e.wait_until ? `until ${e.wait_until}` : ""].filter(Boolean).join(", ");
}

// value renders any JSON value as text: a string as it is, a list joined,
// an object as "key: value" pairs (a reference {id, url}, say).
function value(v) {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(value).filter((x) => x !== "").flatMap((x, i) => (i ? ["; ", x] : [x]));
  if (typeof v === "object") {
    return Object.entries(v).filter(([, x]) => x !== null && x !== undefined && x !== "")
      .flatMap(([k, x], i) => [i ? "; " : "", el("span", { class: "k" }, k.replaceAll("_", " ") + ": "), value(x)]);
  }
  return String(v);
}

export const isProblem = (e) => e.verdict !== "ok";

// formatName names a report's input format (docs/report.md, input.format);
// a format this page does not know yet is shown as the report names it.
export function formatName(i) {
  switch (i.format) {
    case "har": return `HAR${i.producer ? " from " + i.producer : ""}`;
    case "warc": return /\.wacz$/i.test(i.name || "") ? "WACZ web archive (WARC)" : "WARC web archive";
    case "burp": return "Burp Suite export (XML)";
    case "saz": return "Fiddler session archive (SAZ)";
    case "curl": return "curl transcript";
    case "raw": return "raw capture";
    case "fetch": return "DevTools \"Copy as fetch\" paste";
    default: return String(i.format || "capture");
  }
}

export function inputLine(rep) {
  const i = rep.input;
  const probs = rep.exchanges.filter(isProblem).length;
  const fmt = formatName(i);
  return el("p", { class: "inputline" },
    el("strong", {}, i.name || "capture"), ` — ${fmt}, ${rep.exchanges.length} exchange${rep.exchanges.length === 1 ? "" : "s"}, `,
    el("strong", {}, `${probs} problem${probs === 1 ? "" : "s"}`));
}

// entryTable returns the table section; wrap.openRow(index) shows that
// entry's row (rendering more rows or lifting the filter if needed), opens
// its card and moves focus to its toggle.
//
// opts (all optional):
//   exchange(index)  → Promise of a full exchange (a large report's summaries)
//   state            {open: Set, onlyProblems: bool}: kept across renders of
//                    a report that grows (the DevTools panel); rows open and
//                    the filter stay as the user left them
//   pick             {picked: Set, onChange(index, checked)}: a checkbox per
//                    row, to choose entries (the panel's comparison)
function entryTable(rep, opts = {}) {
  const wrap = el("section", { class: "entries", "aria-labelledby": "entries-h" });
  const sorted = [...rep.exchanges].sort((a, b) => (isProblem(b) - isProblem(a)) || a.index - b.index);
  const nProblems = sorted.filter(isProblem).length;
  const state = opts.state;
  const only = el("input", { type: "checkbox", id: "only-problems", checked: !!state?.onlyProblems });
  wrap.append(el("h3", { id: "entries-h" }, "Entries"),
    el("div", { class: "row" }, only, el("label", { for: "only-problems" }, `Show only problems (${nProblems} of ${sorted.length})`)));
  const tbody = el("tbody");
  const table = el("table", { id: "entries" },
    el("caption", {}, "Problems first, then the rest in capture order. Open a row for its report."),
    el("thead", {}, el("tr", {}, [...(opts.pick ? ["Pick"] : []), "#", "Method", "URL", "Status", "Verdict"].map((h) => el("th", { scope: "col" }, h)))),
    tbody);
  wrap.append(el("div", { class: "tablewrap" }, table));
  const more = el("button", { type: "button", class: "more" }, "Show more entries");
  wrap.append(more);
  let shown = 0;
  // A few problems open at once; a report that grows opens them the first
  // time only, then keeps what the user opened and closed.
  const autoOpen = nProblems > 0 && nProblems <= 3 && !state?.seen;
  if (state) state.seen = true;
  const openers = new Map(); // index → {open, toggle} of rendered rows

  function row(e) {
    const detailId = `entry-${e.index}`;
    const toggle = el("button", { type: "button", class: "toggle", "aria-expanded": "false", "aria-controls": detailId }, `#${e.index}`);
    let pick = null;
    if (opts.pick) {
      pick = el("input", { type: "checkbox", class: "pick", "aria-label": `Pick entry #${e.index} to compare`, checked: opts.pick.picked.has(e.index) });
      pick.addEventListener("change", () => opts.pick.onChange(e.index, pick.checked));
    }
    const tr = el("tr", { class: "entry" + (isProblem(e) ? " problem" : ""), ...dataAttrs(e) },
      pick && el("td", { class: "pickcell" }, pick),
      el("td", {}, toggle), el("td", { class: "method" }, e.method || ""), el("td", { class: "url" }, e.url ? urlView(e.url) : el("span", { class: "muted" }, "(no request in the capture)")),
      el("td", {}, e.status ? String(e.status) : "—"),
      el("td", {}, el("span", { class: "pill", "data-verdict": e.verdict }, SHORT_WORDS[e.verdict] || e.verdict)));
    const detail = el("tr", { class: "detail", id: detailId, hidden: true }, el("td", { colspan: opts.pick ? 6 : 5 }));
    const open = (yes) => {
      if (yes && !detail.firstChild.firstChild) {
        if (e.lite && opts.exchange) {
          // A large report keeps ok exchanges in the worker: ask for this one.
          detail.firstChild.append(el("p", { class: "muted" }, "Loading…"));
          opts.exchange(e.index).then((full) => { detail.firstChild.replaceChildren(full ? card(full) : el("p", {}, "Not available.")); });
        } else {
          detail.firstChild.append(card(e));
        }
      }
      detail.hidden = !yes;
      toggle.setAttribute("aria-expanded", String(yes));
      if (state) yes ? state.open.add(e.index) : state.open.delete(e.index);
    };
    toggle.addEventListener("click", () => open(detail.hidden));
    openers.set(e.index, { open, toggle });
    tbody.append(tr, detail);
    if ((autoOpen && isProblem(e)) || state?.open.has(e.index)) open(true);
  }
  function fill() {
    const list = only.checked ? sorted.filter(isProblem) : sorted;
    const end = Math.min(list.length, shown + TABLE_PAGE);
    for (; shown < end; shown++) row(list[shown]);
    more.hidden = shown >= list.length;
    more.textContent = `Show more entries (${list.length - shown} left)`;
  }
  only.addEventListener("change", () => {
    if (state) state.onlyProblems = only.checked;
    tbody.replaceChildren(); openers.clear(); shown = 0; fill();
  });
  more.addEventListener("click", fill);
  fill();
  wrap.openRow = (index) => {
    if (!sorted.some((e) => e.index === index)) return;
    if (!openers.has(index) && only.checked && !isProblem(sorted.find((e) => e.index === index))) {
      only.checked = false;
      only.dispatchEvent(new Event("change"));
    }
    while (!openers.has(index) && !more.hidden) fill();
    const r = openers.get(index);
    if (!r) return;
    r.open(true);
    r.toggle.scrollIntoView({ block: "center" });
    r.toggle.focus();
  };
  if (rep.exchanges.length > 1) wrap.insertBefore(timeline(rep, wrap.openRow), wrap.children[1]);
  return wrap;
}

// ---- timeline -----------------------------------------------------------------
// A canvas above the entries table: time across, one row per host, one mark
// per entry coloured by verdict; lines mark the first failure and the block
// onset; a click opens the entry under the pointer. Marks are binned by pixel
// column (the most severe entry wins a column), so 100,000 entries draw as at
// most rows × width rectangles and a click finds its entry in a small array.

const VERDICT_VAR = { auth: "--auth", forbidden: "--auth", proxy_auth: "--auth", bot: "--bot", rate_limit: "--rate", ok: "--ok", unknown: "--unknown" };
const SEVERITY = { ok: 0, unknown: 1, auth: 2, forbidden: 3, proxy_auth: 4, rate_limit: 5, bot: 6 };
const TL_ROWS = 16, TL_ROW = 16, TL_LINE = 14, TL_LABEL = 170;


function timeline(rep, openRow) {
  const ex = rep.exchanges;
  const n = ex.length;
  // x: milliseconds since the first entry when every entry has a time,
  // else the capture order.
  const xs = new Float64Array(n);
  let timed = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ex[i].time ? Date.parse(ex[i].time) : NaN;
    if (!Number.isNaN(t)) timed++;
    xs[i] = t;
  }
  const byTime = timed === n;
  for (let i = 0; i < n; i++) {
    if (!byTime) xs[i] = ex[i].index;
    lo = Math.min(lo, xs[i]); hi = Math.max(hi, xs[i]);
  }
  // Rows: hosts in order of first appearance; past TL_ROWS, the busiest
  // keep a row and the rest share "other hosts".
  const hostIdx = new Map(); const hostCount = [];
  const hostOfEntry = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const h = hostOf(ex[i].url) || "(no request)";
    let k = hostIdx.get(h);
    if (k === undefined) { k = hostCount.length; hostIdx.set(h, k); hostCount.push(0); }
    hostCount[k]++;
    hostOfEntry[i] = k;
  }
  const names = [...hostIdx.keys()];
  const rowOfHost = new Int32Array(names.length);
  let rowNames = names;
  if (names.length > TL_ROWS) {
    const keep = new Set([...names.keys()].sort((a, b) => hostCount[b] - hostCount[a] || a - b).slice(0, TL_ROWS - 1));
    rowNames = [];
    for (let k = 0; k < names.length; k++) if (keep.has(k)) { rowOfHost[k] = rowNames.length; rowNames.push(names[k]); }
    for (let k = 0; k < names.length; k++) if (!keep.has(k)) rowOfHost[k] = rowNames.length;
    rowNames.push(`${names.length - TL_ROWS + 1} other hosts`);
  } else {
    for (let k = 0; k < names.length; k++) rowOfHost[k] = k;
  }
  const counts = {};
  const kinds = Object.keys(SEVERITY); // index = severity order
  const code = new Uint8Array(n); // entry → verdict, as an index into kinds
  for (let i = 0; i < n; i++) {
    const v = ex[i].verdict;
    counts[v] = (counts[v] || 0) + 1;
    code[i] = SEVERITY[v] ?? SEVERITY.unknown;
  }
  const posOf = new Map(); // entry index → position in ex, for the markers
  for (let i = 0; i < n; i++) posOf.set(ex[i].index, i);

  const canvas = el("canvas", { id: "timeline-canvas", role: "img", "data-marks": n, "data-rows": rowNames.length, "data-axis": byTime ? "time" : "order",
    "aria-label": `Timeline of ${n} entries on ${names.length} host${names.length === 1 ? "" : "s"}: ` +
      Object.entries(counts).map(([k, c]) => `${c} ${SHORT_WORDS[k] || k}`).join(", ") + ". The entries table below lists the same entries." });
  const legend = el("p", { class: "tl-legend" }, Object.keys(counts).sort((a, b) => (SEVERITY[a] ?? 1) - (SEVERITY[b] ?? 1)).map((k) =>
    el("span", { class: "pill", "data-verdict": k, "data-count": counts[k] }, `${SHORT_WORDS[k] || k} ${counts[k]}`)));
  const box = el("figure", { class: "timeline", id: "timeline" }, canvas,
    el("figcaption", { class: "muted" }, byTime ? "Time across (from the first request to the last), one row per host. Click a mark to open its entry." : "Capture order across (the capture has no times), one row per host. Click a mark to open its entry."),
    legend);

  // The markers: the block onset and the first failure (when another entry).
  const ff = rep.summary?.first_failure, fb = rep.summary?.first_block;
  const markers = [];
  if (fb && posOf.has(fb.index)) markers.push({ index: fb.index, text: `block onset #${fb.index}`, dash: [3, 2] });
  if (ff && posOf.has(ff.index) && (!fb || fb.index !== ff.index)) markers.push({ index: ff.index, text: `first failure #${ff.index}`, dash: [] });

  let bins = null, plotW = 0, top = TL_LINE + 4;
  function draw() {
    const css = getComputedStyle(document.documentElement);
    const palette = kinds.map((v) => css.getPropertyValue(VERDICT_VAR[v]).trim() || "#888");
    const w = Math.max(200, box.clientWidth || 600);
    const g = canvas.getContext("2d");
    g.font = "11px system-ui, sans-serif";
    const label = Math.min(TL_LABEL, Math.floor(w / 3));
    plotW = Math.max(1, Math.floor(w - label - 8));
    const span = hi - lo || 1;
    const xOf = (i) => label + Math.min(plotW - 1, Math.floor(((xs[i] - lo) / span) * (plotW - 1))) + 1;
    // Marker labels, left to right, each on the first line where it clears
    // the labels already placed (thousands of entries put the first failure
    // and the block onset a pixel apart). A label sits right of its line,
    // or left of it when it would run past the canvas.
    const placed = [];
    for (const m of [...markers].sort((a, b) => xOf(posOf.get(a.index)) - xOf(posOf.get(b.index)))) {
      const x = xOf(posOf.get(m.index)), tw = Math.ceil(g.measureText(m.text).width);
      let lx = x + 3 + tw <= w ? x + 3 : Math.max(label, x - 3 - tw);
      lx = Math.max(0, Math.min(lx, w - tw));
      let line = 0;
      while (placed.some((p) => p.line === line && lx < p.x + p.w + 6 && p.x < lx + tw + 6)) line++;
      placed.push({ ...m, x: lx, w: tw, line, at: x });
    }
    const lines = Math.max(1, ...placed.map((p) => p.line + 1));
    top = lines * TL_LINE + 4;
    const h = top + rowNames.length * TL_ROW + 4;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    canvas.style.width = w + "px"; canvas.style.height = h + "px";
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    bins = rowNames.map(() => new Int32Array(plotW).fill(-1));
    for (let i = 0; i < n; i++) {
      const px = Math.min(plotW - 1, Math.floor(((xs[i] - lo) / span) * (plotW - 1)));
      const row = bins[rowOfHost[hostOfEntry[i]]];
      const cur = row[px];
      if (cur < 0 || code[i] > code[cur]) row[px] = i;
    }
    g.font = "11px system-ui, sans-serif"; // resizing the canvas reset it
    g.textBaseline = "middle";
    const fg = css.getPropertyValue("--fg").trim() || "#000", muted = css.getPropertyValue("--muted").trim() || "#666", border = css.getPropertyValue("--border").trim() || "#ccc";
    const drawn = [];
    for (let r = 0; r < rowNames.length; r++) {
      const y = top + r * TL_ROW;
      g.fillStyle = muted;
      const full = hostLabel(rowNames[r]); // punycode, or escapes: canvas text has no <bdi>
      let name = full;
      while (name.length > 4 && g.measureText(name).width > label - 6) name = name.slice(0, -2);
      if (name !== full) name = name.slice(0, -1) + "…";
      drawn.push(full);
      g.fillText(name, 0, y + TL_ROW / 2);
      g.fillStyle = border;
      g.fillRect(label, y + TL_ROW - 1, plotW, 1);
      const row = bins[r];
      for (let k = 0; k < kinds.length; k++) {
        g.fillStyle = palette[k];
        for (let px = 0; px < plotW; px++) {
          const i = row[px];
          if (i >= 0 && code[i] === k) g.fillRect(label + px - 1, y + 2, 3, TL_ROW - 5);
        }
      }
    }
    for (const p of placed) {
      const y = p.line * TL_LINE + TL_LINE / 2;
      g.strokeStyle = fg; g.lineWidth = 1; g.setLineDash(p.dash);
      g.beginPath(); g.moveTo(p.at + 0.5, y); g.lineTo(p.at + 0.5, h); g.stroke();
      g.setLineDash([]);
      g.fillStyle = fg;
      g.fillText(p.text, p.x, y);
    }
    canvas.dataset.label = label;
    canvas.dataset.rowLabels = JSON.stringify(drawn);
    canvas.dataset.top = top;
    canvas.dataset.markers = markers.map((m) => m.text).join(", ");
    canvas.dataset.labels = JSON.stringify(placed.map((p) => ({ text: p.text, x: p.x, y: p.line * TL_LINE, w: p.w, h: TL_LINE })));
  }
  // pick returns the entry (position in ex) drawn nearest to (x, y) in CSS px.
  function pick(x, y) {
    const r = Math.floor((y - top) / TL_ROW);
    if (!bins || r < 0 || r >= bins.length) return -1;
    const px = Math.floor(x - Number(canvas.dataset.label));
    for (let d = 0; d <= 3; d++) {
      for (const q of [px - d, px + d]) if (q >= 0 && q < plotW && bins[r][q] >= 0) return bins[r][q];
    }
    return -1;
  }
  // pointFor(index) is where an entry's mark is drawn (for tests and tools).
  canvas.pointFor = (index) => {
    const i = posOf.get(index);
    if (i === undefined || !bins) return null;
    const span = hi - lo || 1;
    const px = Math.min(plotW - 1, Math.floor(((xs[i] - lo) / span) * (plotW - 1)));
    return { x: Number(canvas.dataset.label) + px + 1, y: top + rowOfHost[hostOfEntry[i]] * TL_ROW + TL_ROW / 2, shown: ex[bins[rowOfHost[hostOfEntry[i]]][px]].index };
  };
  canvas.addEventListener("click", (ev) => {
    const i = pick(ev.offsetX, ev.offsetY);
    if (i >= 0) openRow(ex[i].index);
  });
  canvas.addEventListener("mousemove", (ev) => {
    const i = pick(ev.offsetX, ev.offsetY);
    canvas.style.cursor = i >= 0 ? "pointer" : "default";
    canvas.title = i >= 0 ? visible(`#${ex[i].index} ${ex[i].method || ""} ${ex[i].url || ""} → ${ex[i].status || "no response"}: ${SHORT_WORDS[ex[i].verdict] || ex[i].verdict}`) : "";
  });
  let lastW = 0;
  const redraw = () => { const w = box.clientWidth; if (w && w !== lastW) { lastW = w; const t0 = performance.now(); draw(); canvas.dataset.drawMs = (performance.now() - t0).toFixed(1); } };
  if (typeof ResizeObserver === "function") new ResizeObserver(redraw).observe(box);
  requestAnimationFrame(redraw);
  return box;
}

// counts renders {"200": 8, "403": 1} as "200 ×8, 403 ×1", largest first.
function counts(m, label = (k) => k) {
  return Object.entries(m || {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${label(k)} ×${n}`).join(", ");
}

// rootText: "entry #0 sent the token …" from the root's evidence text, which
// often starts by naming its entry already ("entry 0 sent …").
function rootText(n, root) {
  const t = String(root || "");
  const m = /^entry #?(\d+)\b[:,]?\s*/.exec(t);
  if (m && Number(m[1]) === n) return `entry #${n} ${t.slice(m[0].length)}`;
  return t ? `entry #${n}: ${t}` : `entry #${n}`;
}

// summaryBox renders the HAR summary object (docs/report.md, "summary"):
// per host counts, vendors, the first failure and its root entry, the first
// block, caveats. openRow(index) opens an entry's row in the table.
export function summaryBox(sum, openRow) {
  const box = el("section", { class: "story", id: "summary", "aria-labelledby": "summary-h" });
  box.append(el("h3", { id: "summary-h" }, "Summary"));
  const goto = (index, label) => {
    const b = el("button", { type: "button", class: "goto", "data-goto": index }, label || `Open entry #${index}`);
    b.addEventListener("click", () => openRow(index));
    return b;
  };
  const facts = el("dl", { class: "facts" });
  const fact = (k, ...v) => facts.append(el("div", {}, el("dt", {}, k), el("dd", {}, ...v)));
  const ff = sum.first_failure;
  if (ff) {
    fact("First failure", el("span", { class: "pill", "data-verdict": ff.verdict }, SHORT_WORDS[ff.verdict] || ff.verdict),
      ff.cause ? ` (${ff.cause})` : "", ` at entry #${ff.index} `, goto(ff.index),
      el("span", { class: "ffsum" }, ff.summary));
    if (ff.root_entry != null) {
      fact("Root cause", `${rootText(ff.root_entry, ff.root)} `, goto(ff.root_entry, `Open root entry #${ff.root_entry}`));
    }
  } else {
    fact("First failure", "none: every exchange looks fine or undecided");
  }
  const fb = sum.first_block;
  if (fb) {
    fact("First block", `entry #${fb.index} on `, hostView(fb.host), fb.vendor ? ` by ${fb.vendor}` : "",
      fb.time ? ` at ${fb.time}` : "", `, after ${fb.before} request${fb.before === 1 ? "" : "s"} to that host `,
      goto(fb.index));
  }
  fact("Vendors seen", sum.vendors?.length ? sum.vendors.join(", ") : "none");
  box.append(facts);
  if (sum.hosts?.length) {
    const tbody = el("tbody", {}, sum.hosts.map((h) => el("tr", { "data-host": h.host },
      el("td", { class: "url" }, hostView(h.host)), el("td", {}, String(h.requests), el("span", { class: "unit" }, h.requests === 1 ? " request" : " requests")),
      el("td", {}, counts(h.status, (k) => (k === "0" ? "no response" : k))),
      el("td", {}, counts(h.verdicts, (k) => SHORT_WORDS[k] || k)))));
    box.append(el("div", { class: "tablewrap" }, el("table", { id: "hosts" },
      el("caption", {}, "Requests per host, by status and by verdict."),
      el("thead", {}, el("tr", {}, ["Host", "Requests", "Status", "Verdicts"].map((h) => el("th", { scope: "col" }, h)))),
      tbody)));
  }
  const caveats = [...(sum.caveats ?? [])];
  if (sum.sanitized && !caveats.some((c) => /sanitiz/i.test(c))) caveats.push("sanitized capture: credentials unknown, not missing");
  if (caveats.length) box.append(el("h4", {}, "Caveats"), el("ul", { class: "caveats" }, caveats.map((c) => el("li", {}, c))));
  return box;
}


// reportBody renders what follows a report's head line: a HAR's summary,
// timeline and entries table (problems first, each row opening its card),
// or the cards of a text capture's problems; then the warnings.
// opts.exchange(index) → Promise of a full exchange, for the summaries a
// large report sends.
export function reportBody(rep, opts = {}) {
  const out = [];
  if (rep.input.format === "har" || (rep.summary && rep.exchanges.length > 1)) {
    const table = entryTable(rep, opts);
    if (rep.summary) out.push(summaryBox(rep.summary, (i) => table.openRow(i)));
    out.push(table);
  } else {
    const problems = rep.exchanges.filter(isProblem);
    const shown = problems.length ? problems : rep.exchanges.slice(-1);
    for (const e of shown) out.push(card(e));
  }
  if (rep.warnings?.length) {
    out.push(el("h3", {}, "Warnings"), el("ul", { class: "warnings" }, rep.warnings.map((w) => el("li", {}, w))));
  }
  return out;
}

// ---- sanitized download -----------------------------------------------------
// The second worker (Tools in web/client.js) makes the copy; the result is
// a Blob offered through a[download]: no request, nothing uploaded.

let blobURL = null;

// sanitizedName: "capture.har.gz" → "capture.sanitized.har".
function sanitizedName(name, har) {
  const base = String(name || "capture").replace(/^.*[\\/]/, "").replace(/\.(har|zhar|json|http|txt|curl|log)?(\.gz)?$/i, "") || "capture";
  return `${base}.sanitized.${har ? "har" : "txt"}`;
}

// sanitizeBox returns the region where the sanitized download is offered;
// its button (box.button) sits in the report's head, next to "Copy".
export function sanitizeBox(rep, src, tools) {
  const har = rep.input.format === "har";
  const b = el("button", { type: "button", id: "sanitize-btn", class: "copy",
    title: "Every credential, cookie and key-shaped token replaced by a placeholder, in this browser" },
    har ? "Download a sanitized HAR" : "Download a sanitized copy");
  const note = el("p", { class: "muted", role: "status", id: "sanitize-status" });
  const out = el("div", { id: "sanitize-out" });
  const box = el("section", { class: "sanitize", id: "sanitize", "aria-label": "Sanitized copy" }, note, out);
  box.button = b;
  b.addEventListener("click", async () => {
    b.disabled = true;
    const size = src.file ? src.file.size : src.text.length;
    note.textContent = (tools.started ? "Sanitizing…" : "Loading the sanitizer…") + (size > 10e6 ? ` (${sizeText(size)}: this takes a while; the page stays usable)` : "");
    out.replaceChildren();
    const t0 = performance.now();
    const r = await tools.sanitize(src);
    b.disabled = false;
    if (!box.isConnected) return; // another capture was analysed meanwhile
    if (r.error) {
      note.textContent = "";
      out.append(el("p", { role: "alert", class: "error" }, "Could not sanitize: " + r.error));
      return;
    }
    if (blobURL) URL.revokeObjectURL(blobURL);
    const file = sanitizedName(src.name || rep.input.name, har);
    blobURL = URL.createObjectURL(new Blob([r.data], { type: har ? "application/json" : "text/plain" }));
    const a = el("a", { href: blobURL, download: file, id: "sanitize-link" }, `${file} (${sizeText(r.data.byteLength)})`);
    const kinds = Object.entries(r.stats || {}).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const total = kinds.reduce((n, [, k]) => n + k, 0);
    note.textContent = `Sanitized in ${Math.round(performance.now() - t0)} ms: ${total} value${total === 1 ? "" : "s"} replaced.`;
    out.append(el("p", {}, "Saved as ", a, " — check it before you share it."));
    if (kinds.length) {
      out.append(el("ul", { class: "stats", "aria-label": "Replacements by kind" },
        kinds.map(([k, n]) => el("li", { "data-kind": k }, `${k}: ${n}`))));
    } else {
      out.append(el("p", { class: "muted" }, "No secret found to replace."));
    }
    a.click();
  });
  return box;
}

// ---- compare two captures (why401 diff) -------------------------------------

function sideLine(label, s) {
  const v = s.vendor ? ` (${s.vendor})` : "";
  return el("li", {}, el("strong", {}, label + ": "), `#${s.index} ${s.method || ""} `, s.url ? urlView(s.url) : "(no request in the capture)", ` → ${s.status}, `,
    el("span", { class: "verdict v-" + s.verdict }, (SHORT_WORDS[s.verdict] || s.verdict) + v));
}

export function renderDiff(diffOut, rep) {
  diffOut.dataset.state = "done";
  if (rep.error) { diffOut.replaceChildren(el("p", { role: "alert" }, rep.error)); return; }
  const rows = (rep.changes ?? []).map((c, i) => el("tr", { class: i < rep.likely ? "likely" : "" },
    el("td", { class: "num" }, Math.round(c.score * 100) + " %"),
    el("td", {}, c.kind + (c.name ? " " + c.name : "")),
    el("td", {}, el("code", {}, c.good || "—")),
    el("td", {}, el("code", {}, c.bad || "—")),
    el("td", {}, c.why)));
  // replaceChildren would print a null as "null": absent parts are left out.
  diffOut.replaceChildren(...[
    el("ul", { class: "sides" }, sideLine("Worked", rep.good), sideLine("Failed", rep.bad)),
    el("p", { class: "diff-summary" }, rep.summary),
    rows.length && el("table", { class: "diff-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "Likelihood"), el("th", {}, "Difference"), el("th", {}, "Worked"), el("th", {}, "Failed"), el("th", {}, "Why"))),
      el("tbody", {}, rows)),
    rep.warnings?.length && el("ul", { class: "warnings" }, rep.warnings.map((w) => el("li", {}, w))),
  ].filter(Boolean));
}
