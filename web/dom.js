// DOM helpers shared by the page (web/app.js) and the DevTools panel
// (extension/panel.js): every string that comes from a capture or a report
// is inserted as text, never as HTML.

// el builds an element; attribute values and children are always text.
export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids.flat()) {
    if (k === undefined || k === null || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

export function copyButton(getText, label = "Copy") {
  const b = el("button", { type: "button", class: "copy" }, label);
  b.addEventListener("click", async () => {
    const text = await getText();
    let ok = false;
    try { await navigator.clipboard.writeText(text); ok = true; } catch { ok = false; }
    if (!ok) {
      // Fallback: a read-only field the user can copy from.
      const ta = el("textarea", { readonly: true, class: "copy-fallback", "aria-label": "Text to copy", rows: 6 });
      ta.value = text;
      b.after(ta);
      ta.focus();
      ta.select();
      try { ok = document.execCommand("copy"); } catch { ok = false; }
    }
    b.textContent = ok ? "Copied" : "Select and copy";
    setTimeout(() => { b.textContent = label; }, 2000);
  });
  return b;
}

// sizeText: 512 → "512 bytes", 20480 → "20 KB", 3.2e6 → "3.2 MB".
export function sizeText(n) {
  if (n < 1000) return `${n} byte${n === 1 ? "" : "s"}`;
  if (n < 1e6) return `${Math.round(n / 1e3)} KB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}

