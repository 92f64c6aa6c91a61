// why401 sanitizer worker: started by the page only when the user asks for a
// sanitized HAR. It loads wasm_exec.js and sanitizer.wasm from this site (a
// second wasm, so the page's analyzer does not carry the sanitizer's crypto)
// and returns the sanitized bytes; nothing leaves the browser.
//
// It also runs the page's comparison of two captures (why401 diff), asked
// for as rarely.
//
// Messages in:  {id, text, name} | {id, file} | {id, type: "diff", good, bad, url} (each side a string or a File)
// Messages out: {type: "ready"} | {type: "fatal", message}
//               {id, type: "result", data: ArrayBuffer, stats: {kind: n}} | {id, type: "result", error}
//               {id, type: "result", diff: DiffReport} (or diff: {error})
"use strict";
importScripts("wasm_exec.js");

const ready = (async () => {
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch("sanitizer.wasm"), go.importObject);
  go.run(instance).then(() => { globalThis.why401sanitize = undefined; });
  postMessage({ type: "ready" });
})().catch((e) => postMessage({ type: "fatal", message: String(e) }));

let queue = ready;
onmessage = (ev) => { queue = queue.then(() => handle(ev.data)); };

async function handle(m) {
  try {
    if (!globalThis.why401sanitize) throw new Error("the sanitizer is not loaded; reload the page");
    if (m.type === "diff") {
      const bytes = async (v) => typeof v === "string" ? v : new Uint8Array(await v.arrayBuffer());
      // A File is named by its name (as the CLI names a file by its path); pasted text by the box.
      const name = (v) => typeof v === "string" ? "" : v.name || "";
      const diff = JSON.parse(globalThis.why401sanitize.diff(await bytes(m.good), await bytes(m.bad), m.url || "", name(m.good), name(m.bad)));
      postMessage({ id: m.id, type: "result", diff });
      return;
    }
    const input = m.file ? new Uint8Array(await m.file.arrayBuffer()) : m.text;
    const r = globalThis.why401sanitize.sanitize(input);
    if (r.error) { postMessage({ id: m.id, type: "result", error: r.error }); return; }
    const data = r.data.buffer;
    postMessage({ id: m.id, type: "result", data, stats: { ...r.stats } }, [data]);
  } catch (e) {
    postMessage({ id: m.id, type: "result", error: String(e.message || e) });
  }
}
