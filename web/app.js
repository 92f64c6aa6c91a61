// why401 page: loads the analyzer (Go compiled to WebAssembly) and renders
// its report. Every string from a capture is inserted as text, never as HTML.
import "./wasm_exec.js";

const $ = (s) => document.querySelector(s);
const status = (t) => { $("#status").textContent = t; };

const EXAMPLES = {
  "Expired token (401)": "GET /v1/me HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLW5vdC1yZWFs\n\nHTTP/2 401\ndate: Wed, 15 Nov 2023 10:00:00 GMT\nwww-authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"\ncontent-type: application/json\n\n{\"error\":\"invalid_token\"}\n",
  "Cloudflare challenge (403)": "GET /products HTTP/1.1\nHost: shop.example\nUser-Agent: python-requests/2.31.0\n\nHTTP/1.1 403 Forbidden\nServer: cloudflare\nCF-RAY: 8c0f4e7a9b1d2e3f-FRA\ncf-mitigated: challenge\nContent-Type: text/html; charset=UTF-8\n\n<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={cType:'managed'};</script><noscript>Enable JavaScript and cookies to continue</noscript></body></html>\n",
};

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

function render(rep) {
  const out = $("#results");
  out.replaceChildren();
  if (rep.error) { out.append(el("p", { role: "alert" }, rep.error)); return; }
  const problems = rep.exchanges.filter((e) => e.verdict !== "ok");
  out.append(el("p", { class: "muted" }, `${rep.input.format}${rep.input.producer ? " from " + rep.input.producer : ""}, ${rep.exchanges.length} exchange(s), ${problems.length} problem(s)`));
  const shown = problems.length ? problems : rep.exchanges;
  for (const e of shown) {
    const card = el("article", { class: "card", "data-index": e.index, "data-verdict": e.verdict, "data-vendor": e.vendor ?? "", "data-scheme": e.scheme ?? "" });
    card.append(el("div", {}, el("span", { class: "verdict" }, e.verdict), ` ${Math.round(e.confidence * 100)}% `,
      el("span", { class: "muted" }, [e.vendor, e.scheme, e.cause].filter(Boolean).join(" · "))));
    card.append(el("div", { class: "muted" }, `#${e.index} ${e.method} ${e.url} → ${e.status}`));
    card.append(el("p", {}, e.summary));
    if (e.evidence.length) {
      const ul = el("ul");
      for (const ev of e.evidence) ul.append(el("li", {}, el("code", {}, ev.where), " ", ev.text));
      card.append(el("h3", {}, "Evidence"), ul);
    }
    for (const f of e.fixes) {
      const ol = el("ul");
      for (const s of f.steps) ol.append(el("li", {}, s));
      card.append(el("h3", {}, f.title), ol);
      for (const c of f.code ?? []) card.append(el("pre", { "data-lang": c.lang }, c.text));
    }
    out.append(card);
  }
  for (const w of rep.warnings) out.append(el("p", { class: "muted" }, "warning: " + w));
}

async function boot() {
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch("web/analyzer.wasm"), go.importObject);
  go.run(instance);
  status("Ready.");
  const run = (input, name) => {
    const t0 = performance.now();
    const rep = JSON.parse(globalThis.why401.analyze(input, name));
    render(rep);
    status(`Analyzed in ${Math.round(performance.now() - t0)} ms.`);
  };
  $("#analyze").addEventListener("click", () => run($("#input").value, "pasted"));
  $("#file").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    if (!f) return;
    run(new Uint8Array(await f.arrayBuffer()), f.name);
  });
  for (const [label, text] of Object.entries(EXAMPLES)) {
    const b = el("button", { type: "button" }, "Example: " + label);
    b.addEventListener("click", () => { $("#input").value = text; run(text, label); });
    $("#examples").append(b);
  }
}

boot().catch((e) => status("Could not load the analyzer: " + e));
