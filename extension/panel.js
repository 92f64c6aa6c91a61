// The why401 DevTools panel: every request of the inspected tab, as it
// finishes, analysed by the page's analyzer (web/analyzer.wasm in
// web/worker.js) and rendered by the page's own modules (web/report.js):
// failing requests first, each with its card, the timeline, "Copy report as
// Markdown", the comparison of two picked entries (the page's second worker,
// web/sanitize-worker.js) and a sanitized HAR saved on request.
//
// Requests come from chrome.devtools.network (Chrome and Firefox offer the
// same API): getHAR() for those made before the panel opened, then
// onRequestFinished for each one that finishes, with its body from
// getContent() when the analysis reads bodies (failures and text answers).
// They stay in this panel's memory: nothing is stored, nothing is sent.
import { el, copyButton } from "./web/dom.js";
import { Analyzer, Tools } from "./web/client.js";
import { inputLine, reportBody, renderDiff, sanitizeBox, isProblem, words } from "./web/report.js";

const MAX_ENTRIES = 10_000;       // the oldest are dropped past it (said in the status)
const BODY_FAILED = 256 * 1024;   // body characters kept for a status ≥ 400 (the analyzer's BodyBytes)
const BODY_OTHER = 64 * 1024;     // for other answers (its SuccessBodyBytes)
const DEBOUNCE_MS = 250;          // requests finishing together are analysed together
const CONTENT_TIMEOUT_MS = 5000;  // getContent() that never answers

const $ = (s) => document.querySelector(s);
const version = globalThis.chrome?.runtime?.getManifest?.().version ?? "dev";

// plain copies a DevTools entry into plain JSON (no getContent, no
// prototype), the HAR 1.2 entry the analyzer reads.
function plain(entry) {
  return JSON.parse(JSON.stringify(entry));
}

// wantsBody: the analyzer reads bodies of failures (block pages, API
// errors) and of text answers (a 200 challenge page, a token response).
function wantsBody(e) {
  const st = e.response?.status ?? 0;
  if (st === 0 || st === 204 || st === 304) return false;
  return st >= 400 || /html|json|xml|^text\//i.test(e.response?.content?.mimeType || "");
}

// content calls entry.getContent in either form (Chrome: a callback with
// (body, encoding); Firefox: a promise of [body, mimeType]) and resolves
// with [body, encoding], or [null] when it fails or never answers.
function content(entry) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (body, encoding) => { if (!done) { done = true; resolve([body ?? null, encoding || ""]); } };
    setTimeout(() => finish(null), CONTENT_TIMEOUT_MS);
    try {
      const p = entry.getContent((body, encoding) => finish(body, encoding));
      if (p && typeof p.then === "function") {
        p.then((r) => (Array.isArray(r) ? finish(r[0], "") : finish(r, "")), () => finish(null));
      }
    } catch {
      finish(null);
    }
  });
}

// cut keeps the start of a body (base64 cut on a 4-character boundary).
function cut(text, encoding, max) {
  if (typeof text !== "string" || text.length <= max) return text;
  return encoding === "base64" ? text.slice(0, Math.floor((max * 4) / 3 / 4) * 4) : text.slice(0, max);
}

function harText(list) {
  return JSON.stringify({ log: { version: "1.2", creator: { name: "why401 DevTools panel", version }, entries: list } });
}

// start runs the panel on network, an object shaped like
// chrome.devtools.network (getHAR, onRequestFinished, onNavigated).
export function start(network) {
  const results = $("#results"), statusEl = $("#status"), progress = $("#progress");
  const diffOut = $("#diff-results"), sanRegion = $("#sanitize-region");
  const compareBtn = $("#compare"), saveBtn = $("#save-har"), clearBtn = $("#clear");
  const copyBtn = copyButton(() => analyzer.markdown(), "Copy report as Markdown");
  copyBtn.id = "copy-md";
  copyBtn.disabled = true;
  $("#copy-md").replaceWith(copyBtn);

  let entries = [];          // recorded, in the order they finished
  let fromBefore = 0;        // how many came from getHAR()
  let dropped = 0;           // dropped past MAX_ENTRIES
  const seen = new Set();    // keys of recorded entries (getHAR and onRequestFinished may overlap)
  let shown = null;          // {report, list, text} of the report on screen
  const tableState = { open: new Set(), onlyProblems: false };
  let picked = [];           // report indices picked to compare, in the order picked
  let timer = 0, running = false, dirty = false, lastMs = 0;

  const analyzer = new Analyzer("web/worker.js", {
    onReady() { document.documentElement.dataset.ready = "true"; say(); },
    onFatal(message) { statusEl.textContent = message; },
  });
  const tools = new Tools("web/sanitize-worker.js");

  function say() {
    if (!analyzer.ready) return;
    if (!entries.length) { statusEl.textContent = "Ready: no request recorded yet."; return; }
    const probs = shown?.report?.exchanges?.filter(isProblem) ?? [];
    const parts = [`${entries.length} request${entries.length === 1 ? "" : "s"}` + (fromBefore ? ` (${fromBefore} from before the panel opened)` : "")];
    if (dropped) parts.push(`${dropped} older dropped`);
    if (shown?.report && !shown.report.error) {
      parts.push(probs.length === 0 ? "no problem found" : probs.length === 1 ? "1 problem: " + words(probs[0].verdict).toLowerCase()
        : `${probs.length} problems, the first: ${words(probs[0].verdict).toLowerCase()}`);
      parts.push(`analysed in ${Math.round(lastMs)} ms`);
    }
    if (running || dirty) parts.push("analysing…");
    statusEl.textContent = parts.join(" · ");
  }

  function key(e) {
    return `${e.startedDateTime} ${e.request?.method} ${e.request?.url} ${e.response?.status}`;
  }

  async function record(entry, before) {
    const e = plain(entry);
    if (!e.request || !e.response) return;
    const k = key(e);
    if (seen.has(k)) return;
    seen.add(k);
    if (before) fromBefore++;
    entries.push(e);
    if (entries.length > MAX_ENTRIES) {
      const gone = entries.splice(0, entries.length - MAX_ENTRIES);
      dropped += gone.length;
      fromBefore = Math.max(0, fromBefore - gone.length);
    }
    const c = (e.response.content ??= { size: 0, mimeType: "" });
    const max = e.response.status >= 400 ? BODY_FAILED : BODY_OTHER;
    if (typeof c.text === "string") {
      c.text = cut(c.text, c.encoding, max);
    } else if (wantsBody(e) && typeof entry.getContent === "function") {
      schedule(); // analyse what is known now; again when the body is in
      const [body, encoding] = await content(entry);
      if (body !== null) {
        c.text = cut(body, encoding, max);
        if (encoding) c.encoding = encoding;
      }
    }
    schedule();
  }

  function schedule() {
    dirty = true;
    say();
    if (!timer && !running) timer = setTimeout(run, DEBOUNCE_MS);
  }

  // harNow asks DevTools for its log (getHAR, either form), or null.
  function harNow() {
    return new Promise((resolve) => {
      let done = false;
      const f = (har) => { if (!done) { done = true; resolve(har ?? null); } };
      setTimeout(() => f(null), CONTENT_TIMEOUT_MS);
      try {
        const p = network.getHAR(f);
        if (p && typeof p.then === "function") p.then(f, () => f(null));
      } catch {
        f(null);
      }
    });
  }

  // refresh takes the headers DevTools learned after a request finished:
  // the raw headers (Cookie, Set-Cookie) of a redirect arrive after its
  // onRequestFinished (Chromium 156: a 302's Set-Cookie is missing there and
  // present in getHAR() a moment later), and a missing Set-Cookie hides a
  // cookie the next request did not send.
  async function refresh() {
    const har = await harNow();
    if (!har?.entries?.length) return;
    const mine = new Map(entries.map((e) => [key(e), e]));
    for (const x of har.entries) {
      const e = mine.get(key(x));
      if (!e) continue;
      for (const side of ["request", "response"]) {
        if ((x[side]?.headers?.length ?? 0) > (e[side]?.headers?.length ?? 0)) {
          e[side].headers = plain(x[side].headers);
          if (x[side].cookies) e[side].cookies = plain(x[side].cookies);
        }
      }
    }
  }

  async function run() {
    timer = 0;
    if (!dirty) return;
    dirty = false;
    running = true;
    await refresh();
    // Capture order is start order: the analyzer reads a story in it (a
    // cookie set, then not sent).
    const list = entries.map((e, i) => [e, i]).sort((a, b) =>
      (a[0].startedDateTime < b[0].startedDateTime ? -1 : a[0].startedDateTime > b[0].startedDateTime ? 1 : a[1] - b[1])).map(([e]) => e);
    const text = harText(list);
    const t0 = performance.now();
    results.dataset.state = "busy";
    const r = await analyzer.analyze({ text, name: "inspected tab" }, (read, total) => {
      progress.hidden = false;
      progress.max = total || 1;
      progress.value = read;
    });
    progress.hidden = true;
    running = false;
    lastMs = performance.now() - t0;
    if (r.report) render({ report: r.report, list, text });
    else statusEl.textContent = r.error;
    results.dataset.state = "done";
    results.dataset.entries = String(list.length);
    say();
    if (dirty && !timer) timer = setTimeout(run, DEBOUNCE_MS);
  }

  function render(s) {
    const y = window.scrollY;
    // Picks name report indices: a new report (more entries, another
    // order) keeps those still at the same request.
    if (picked.length && shown) {
      const keys = picked.map((i) => key(shown.list[i] ?? {}));
      picked = keys.map((k) => s.list.findIndex((e) => key(e) === k)).filter((i) => i >= 0);
    }
    shown = s;
    const rep = s.report;
    results.replaceChildren();
    copyBtn.disabled = saveBtn.disabled = !!rep.error;
    updateCompare();
    if (rep.error) {
      results.append(el("p", { role: "alert", class: "error" }, rep.error));
      return;
    }
    results.append(el("div", { class: "row reporthead" }, inputLine(rep)));
    results.append(...reportBody(rep, {
      exchange: (i) => analyzer.exchange(i),
      state: tableState,
      pick: { picked: new Set(picked), onChange: pick },
    }));
    window.scrollTo(0, y);
  }

  function pick(index, on) {
    picked = picked.filter((i) => i !== index);
    if (on) picked.push(index);
    while (picked.length > 2) {
      const old = picked.shift();
      const box = results.querySelector(`tr.entry[data-index="${old}"] input.pick`);
      if (box) box.checked = false;
    }
    updateCompare();
  }

  function updateCompare() {
    compareBtn.disabled = picked.length !== 2;
    compareBtn.textContent = `Compare picked (${picked.length} of 2)`;
  }

  // The comparison: the entry that worked (an ok one, else the earlier)
  // against the one that failed, each as a one-entry HAR, in the tools
  // worker (the page's "It worked before?").
  compareBtn.addEventListener("click", async () => {
    if (picked.length !== 2 || !shown) return;
    const ex = shown.report.exchanges;
    const verdict = (i) => ex.find((e) => e.index === i)?.verdict;
    let [good, bad] = [...picked].sort((a, b) => a - b);
    if (verdict(good) !== "ok" && verdict(bad) === "ok") [good, bad] = [bad, good];
    diffOut.dataset.state = "busy";
    diffOut.replaceChildren(el("p", {}, `Comparing #${good} with #${bad}…`));
    const rep = await tools.diff(harText([shown.list[good]]), harText([shown.list[bad]]));
    if (!rep.error) {
      // Name the entries by the tab's indices, not the one-entry HARs'.
      rep.good = { ...rep.good, index: good };
      rep.bad = { ...rep.bad, index: bad };
    }
    renderDiff(diffOut, rep);
    diffOut.prepend(el("h3", {}, `Entry #${good} (worked) against #${bad} (failed)`));
  });

  // A sanitized HAR, made by the page's sanitizer in the tools worker and
  // saved through a download link: the only thing the panel ever writes.
  saveBtn.addEventListener("click", () => {
    if (!shown || shown.report.error) return;
    const box = sanitizeBox(shown.report, { text: shown.text, name: "inspected-tab.har" }, tools);
    sanRegion.replaceChildren(box);
    box.button.click();
  });

  clearBtn.addEventListener("click", () => {
    entries = [];
    fromBefore = dropped = 0;
    seen.clear();
    picked = [];
    shown = null;
    tableState.open.clear();
    tableState.seen = false;
    results.replaceChildren(el("p", { class: "muted" }, "Cleared. New requests of the inspected tab show here as they finish."));
    diffOut.replaceChildren();
    sanRegion.replaceChildren();
    updateCompare();
    copyBtn.disabled = saveBtn.disabled = true;
    say();
  });

  network.onRequestFinished.addListener((entry) => { record(entry, false); });
  network.onNavigated?.addListener?.(() => say());
  let got = false;
  const fromHAR = (har) => {
    if (got || !har) return;
    got = true;
    for (const e of har.entries ?? []) record(e, true);
  };
  const p = network.getHAR(fromHAR);
  if (p && typeof p.then === "function") p.then(fromHAR, () => {});
  say();
}

// In DevTools the panel starts on the inspected tab's network log. Opened
// any other way (as a tab, in a test) it waits for start(network).
if (globalThis.chrome?.devtools?.network) {
  start(globalThis.chrome.devtools.network);
} else {
  document.querySelector("#status").textContent = "Open DevTools on a page and choose the why401 panel.";
}
