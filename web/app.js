// why401 page: hands the capture to the analysis worker (web/worker.js, Go
// compiled to WebAssembly, through web/client.js) and renders its report
// (web/report.js).
//
// Safety: every string that comes from a capture or a report is inserted with
// textContent / createTextNode, never as HTML (web/dom.js). Privacy: nothing
// here makes a network request; the workers only load their own files from
// this site.
import { EXAMPLES } from "./examples.js";
import { el, copyButton, sizeText } from "./dom.js";
import { Analyzer, Tools } from "./client.js";
import { words, isProblem, inputLine, reportBody, sanitizeBox, renderDiff } from "./report.js";

const $ = (s) => document.querySelector(s);

const statusEl = $("#status");
const results = $("#results");
const progress = $("#progress");
function status(text) { statusEl.textContent = text; }

// ---- the workers --------------------------------------------------------------

const analyzer = new Analyzer("web/worker.js", {
  onReady() {
    document.documentElement.dataset.ready = "true";
    status("Ready. Paste a capture, drop a file or pick an example.");
  },
  onFatal(message) { status(message.charAt(0).toUpperCase() + message.slice(1)); },
});
const tools = new Tools("web/sanitize-worker.js");

let current = 0; // the analysis whose result we want
// source is what the report being shown was made from, for "Download a
// sanitized HAR": {text, name} or {file, name}.
let source = null;

async function analyze(src) {
  const id = ++current;
  const t0 = performance.now();
  results.dataset.state = "busy";
  delete results.dataset.ms;
  status(analyzer.ready ? "Analyzing…" : "Loading the analyzer…");
  const r = await analyzer.analyze(src, (read, total) => {
    if (id !== current) return;
    progress.hidden = false;
    progress.max = total || 1;
    progress.value = read;
    const mb = (n) => (n / 1e6).toFixed(1);
    status(`Analyzing… ${mb(read)} of ${mb(total)} MB`);
  });
  if (id !== current) return; // a newer analysis replaced this one
  progress.hidden = true;
  if (!r.report) { // the worker was restarted
    results.dataset.state = "done";
    status(r.error);
    return;
  }
  const r0 = performance.now();
  const rep = r.report;
  source = src;
  render(rep);
  const ms = performance.now() - t0;
  results.dataset.renderMs = (performance.now() - r0).toFixed(1); // main-thread time for this report
  results.dataset.ms = ms.toFixed(1);
  results.dataset.workerMs = r.ms.toFixed(1);
  results.dataset.state = "done";
  reveal();
  if (!rep.error) {
    // Said by screen readers (role=status): the outcome, not just the time.
    const probs = rep.exchanges.filter(isProblem);
    const what = probs.length === 0 ? "no problem found"
      : probs.length === 1 ? "1 problem: " + words(probs[0].verdict).toLowerCase()
      : `${probs.length} problems, the first: ${words(probs[0].verdict).toLowerCase()}`;
    status(`Analyzed in ${Math.round(ms)} ms — ${what}.`);
  }
  else status("The capture could not be analyzed.");
}

// reveal brings the verdict into view after an analysis: on a laptop
// screen the capture form fills the window and the report starts below the
// fold. The Report heading goes to the top, which shows the first card's
// verdict and summary (or a HAR's summary); the focus stays where it was, so
// the paste field takes the next paste. A verdict already in view is left
// where it is.
function reveal() {
  const target = results.querySelector("#summary .facts, .card .summary, [role=alert]");
  if (!target) return;
  const r = target.getBoundingClientRect();
  if (r.top >= 0 && r.bottom <= window.innerHeight) return;
  $("#out-h").scrollIntoView({ block: "start" });
}

function analyzeText(text, name) {
  if (!text.trim()) { status("Paste a capture first, or choose a file."); $("#input").focus(); return; }
  analyze({ text, name });
}

function analyzeFile(file) {
  $("#input").value = "";
  $("#input").placeholder = `File: ${file.name} (${sizeText(file.size)}) — paste here to analyse something else`;
  analyze({ file, name: file.name });
}

// ---- rendering --------------------------------------------------------------

function render(rep) {
  results.replaceChildren();
  if (rep.error) {
    results.append(el("p", { role: "alert", class: "error" }, rep.error));
    return;
  }
  const copy = copyButton(() => analyzer.markdown(), "Copy report as Markdown");
  copy.id = "copy-md";
  const actions = el("div", { class: "actions" }, copy);
  results.append(el("div", { class: "row reporthead" }, inputLine(rep), actions));
  if (source && ["har", "raw", "curl"].includes(rep.input.format)) {
    // Offered for what Sanitize reads: HAR and raw or curl text.
    const box = sanitizeBox(rep, source, tools);
    actions.append(box.button);
    results.append(box);
  }
  results.append(...reportBody(rep, { exchange: (i) => analyzer.exchange(i) }));
}

// ---- inputs -----------------------------------------------------------------

const input = $("#input");
const placeholder = input.placeholder;
$("#analyze").addEventListener("click", () => analyzeText(input.value, "pasted"));
input.addEventListener("paste", () => setTimeout(() => { input.placeholder = placeholder; analyzeText(input.value, "pasted"); }, 0));
input.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); analyzeText(input.value, "pasted"); }
});
$("#file").addEventListener("change", (ev) => {
  const f = ev.target.files[0];
  if (f) analyzeFile(f);
  ev.target.value = ""; // choosing the same file again analyses it again
});

const drop = $("#capture");
drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("dragging"); });
drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
drop.addEventListener("drop", (ev) => {
  ev.preventDefault();
  drop.classList.remove("dragging");
  const f = ev.dataTransfer?.files?.[0];
  if (f) analyzeFile(f);
  else if (ev.dataTransfer) {
    const t = ev.dataTransfer.getData("text/plain");
    if (t) { input.value = t; analyzeText(t, "dropped"); }
  }
});

for (const ex of EXAMPLES) {
  const b = el("button", { type: "button", "data-example": ex.id }, ex.label);
  b.addEventListener("click", () => {
    input.value = ex.text;
    input.placeholder = placeholder;
    analyzeText(ex.text, ex.name);
  });
  $("#examples").append(b);
}

// ---- compare two captures (why401 diff) -------------------------------------
// It runs in the second worker (web/sanitize-worker.js + web/sanitizer.wasm),
// started on first use, like the sanitized download: the analyzer's wasm
// stays within its size budget.

const diffOut = $("#diff-results");

function diffSource(which) {
  const file = $(`#diff-${which}-file`).files[0];
  return file ?? $(`#diff-${which}`).value;
}

$("#diff-run").addEventListener("click", () => {
  const good = diffSource("good"), bad = diffSource("bad");
  if (!good || !bad) {
    diffOut.replaceChildren(el("p", { role: "alert" }, "Give both captures: the one that worked and the one that failed."));
    return;
  }
  diffOut.dataset.state = "busy";
  diffOut.replaceChildren(el("p", {}, "Comparing…"));
  tools.diff(good, bad, $("#diff-url").value.trim()).then((rep) => renderDiff(diffOut, rep));
});
for (const which of ["good", "bad"]) {
  $(`#diff-${which}`).addEventListener("input", () => { $(`#diff-${which}-file`).value = ""; });
}
