// Clients of the two workers, shared by the page (web/app.js) and the
// DevTools panel (extension/panel.js):
//   Analyzer  web/worker.js + analyzer.wasm: started at once; analyses,
//             Markdown of the last report, one full exchange of it
//   Tools     web/sanitize-worker.js + sanitizer.wasm: started on first
//             use; a sanitized copy, the comparison of two captures (diff)
// Neither makes a request other than loading its own files from the same
// origin (the page's site, or the extension's package).

// Analyzer runs one analysis at a time in the worker, in the order asked.
// hooks: onReady(ms), onFatal(message), onRestart() (the Go program stopped
// and a fresh worker was started; what was pending is answered with an error).
export class Analyzer {
  constructor(url = "web/worker.js", hooks = {}) {
    this.url = url;
    this.hooks = hooks;
    this.ready = false;
    this.seq = 0;
    this.pending = new Map(); // id → {resolve, progress}
    this.start();
  }

  start() {
    this.worker = new Worker(this.url);
    this.worker.onmessage = (ev) => this.onMessage(ev.data);
    this.worker.onerror = (e) => this.hooks.onFatal?.("the analyzer failed: " + (e.message || "unknown error"));
  }

  onMessage(m) {
    if (m.type === "exited") {
      // The Go program stopped (it should not): start a fresh worker.
      this.ready = false;
      this.worker.terminate();
      const was = [...this.pending.values()];
      this.pending.clear();
      this.start();
      for (const p of was) p.resolve({ error: "The analyzer stopped and was restarted; try again." });
      this.hooks.onRestart?.();
      return;
    }
    if (m.type === "ready") { this.ready = true; this.hooks.onReady?.(m.ms); return; }
    if (m.type === "fatal") { this.hooks.onFatal?.("could not load the analyzer: " + m.message); return; }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === "progress") { p.progress?.(m.read, m.total); return; }
    this.pending.delete(m.id);
    if (m.type === "result") p.resolve({ report: m.report, ms: m.ms });
    else if (m.type === "markdown") p.resolve(m.text);
    else if (m.type === "exchange") p.resolve(m.exchange);
  }

  ask(msg, progress) {
    const id = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, progress });
      this.worker.postMessage({ id, ...msg });
    });
  }

  // analyze resolves with {report, ms} (report may be {error}), or {error}
  // when the worker had to be restarted. src: {text, name} or {file}; a
  // File goes to the worker as a reference and is read there in slices, so
  // even a 100 MB HAR is never one string in memory.
  analyze(src, progress) {
    return src.file
      ? this.ask({ type: "file", file: src.file }, progress)
      : this.ask({ type: "text", text: src.text, name: src.name }, progress);
  }

  // markdown resolves with the Markdown of the last report.
  markdown() { return this.ask({ type: "markdown" }); }

  // exchange resolves with the full exchange index of the last report (a
  // large report sends ok exchanges as summaries), or null.
  exchange(index) { return this.ask({ type: "exchange", index }); }
}

// Tools runs the second worker, started on first use: its wasm (the
// sanitizer and its crypto, the diff) stays out of the analyzer's download.
export class Tools {
  constructor(url = "web/sanitize-worker.js") {
    this.url = url;
    this.worker = null;
    this.seq = 0;
    this.waiting = new Map(); // id → resolve
  }

  get started() { return this.worker !== null; }

  fail(message) {
    for (const r of this.waiting.values()) r({ error: message });
    this.waiting.clear();
    this.worker.terminate();
    this.worker = null;
  }

  // run posts msg to the worker and resolves with its answer.
  run(msg) {
    if (!this.worker) {
      this.worker = new Worker(this.url);
      this.worker.onmessage = (ev) => {
        const m = ev.data;
        if (m.type === "fatal") {
          this.fail("could not load the sanitizer: " + m.message);
        } else if (m.type === "result") {
          const r = this.waiting.get(m.id);
          this.waiting.delete(m.id);
          if (r) r(m);
        }
      };
      this.worker.onerror = (e) => this.fail("the sanitizer failed: " + (e.message || "unknown error"));
    }
    const id = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ id, ...msg });
    });
  }

  // sanitize resolves with {data: ArrayBuffer, stats} or {error}.
  sanitize(src) { return this.run(src.file ? { file: src.file } : { text: src.text, name: src.name }); }

  // diff resolves with the DiffReport (docs/diff.md) or {error}; each side
  // is a string or a File.
  async diff(good, bad, url = "") {
    const m = await this.run({ type: "diff", good, bad, url });
    return m.diff ?? { error: m.error || "the comparison failed" };
  }
}
