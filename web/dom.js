// DOM helpers shared by the page (web/app.js) and the DevTools panel
// (extension/panel.js): every string that comes from a capture or a report
// is inserted as text, never as HTML.

// ---- characters a capture can hide or forge with ---------------------------
// C0 controls (line breaks, tab and ESC included), DEL, C1 controls, the
// soft hyphen, the bidi controls and marks (U+061C, U+200E/F, U+202A–E,
// U+2066–9), zero-width characters, line and paragraph separators and the
// BOM. A capture's value holding one is shown with a visible escape (\n,
// \x1b, \u202e) in every string the page renders, so a header value cannot
// start a fake line, colour nothing, nor make a host read backwards.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const HIDDEN_ALL = new RegExp(HIDDEN.source, "g");
const NAMES = {
  0x09: "TAB", 0x0a: "LINE FEED", 0x0d: "CARRIAGE RETURN", 0x1b: "ESCAPE", 0x07: "BELL", 0x7f: "DELETE",
  0x00ad: "SOFT HYPHEN", 0x061c: "ARABIC LETTER MARK", 0x200b: "ZERO WIDTH SPACE", 0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER", 0x200e: "LEFT-TO-RIGHT MARK", 0x200f: "RIGHT-TO-LEFT MARK", 0x2028: "LINE SEPARATOR",
  0x2029: "PARAGRAPH SEPARATOR", 0x202a: "LEFT-TO-RIGHT EMBEDDING", 0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING", 0x202d: "LEFT-TO-RIGHT OVERRIDE", 0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE", 0xfeff: "ZERO WIDTH NO-BREAK SPACE (BOM)",
};

// escapeChar: "\n" → "\\n", ESC → "\\x1b", U+202E → "\\u202e".
function escapeChar(c) {
  const n = c.codePointAt(0);
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  if (c === "\t") return "\\t";
  return n <= 0xff ? "\\x" + n.toString(16).padStart(2, "0") : "\\u" + n.toString(16).padStart(4, "0");
}

// visible returns s with every hidden character escaped (for attributes,
// canvas text and other places that take a plain string).
export function visible(s) {
  s = String(s);
  return HIDDEN.test(s) ? s.replace(HIDDEN_ALL, escapeChar) : s;
}

// textNode returns s as a text node, or, when it holds hidden characters,
// as text with each one shown as a marked escape (span.esc, named in its
// title). keep lists characters left as they are (a code block's "\n\t").
export function textNode(s, keep = "") {
  s = String(s);
  if (!HIDDEN.test(s)) return document.createTextNode(s);
  const f = document.createDocumentFragment();
  let last = 0;
  for (const m of s.matchAll(HIDDEN_ALL)) {
    if (keep.includes(m[0])) continue;
    if (m.index > last) f.append(s.slice(last, m.index));
    const n = m[0].codePointAt(0);
    const span = document.createElement("span");
    span.className = "esc";
    span.title = `U+${n.toString(16).toUpperCase().padStart(4, "0")} ${NAMES[n] || "CONTROL CHARACTER"}, in the capture`;
    span.textContent = escapeChar(m[0]);
    f.append(span);
    last = m.index + m[0].length;
  }
  if (last < s.length) f.append(s.slice(last));
  return f;
}

// el builds an element; attribute values and children are always text,
// with hidden characters made visible (see textNode).
export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    e.setAttribute(k, v === true ? "" : visible(v));
  }
  for (const k of kids.flat(Infinity)) {
    if (k === undefined || k === null || k === false) continue;
    e.append(k instanceof Node ? k : textNode(k));
  }
  return e;
}

// ---- hosts and URLs -------------------------------------------------------------
// Shown isolated (<bdi dir=ltr>: right-to-left text in a host cannot reorder
// what is around it) and, when the host is not ASCII, with its punycode
// beside it, the name the browser really resolves: a Cyrillic "о" in
// "gооgle.example" shows as xn--ggle-55da.example.

const HOST_RE = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/?#:]+)/i;

// hostOf: "https://user@a.example:8443/x" → "a.example" (lowercase).
export function hostOf(url) {
  const m = HOST_RE.exec(url || "");
  return m ? m[1].toLowerCase() : "";
}

// asciiHost returns host in ASCII (punycode) when it is not ASCII: the
// browser's own IDNA mapping; "" when it is ASCII already, null when it is
// not a valid host name at all (a bidi control, say).
export function asciiHost(host) {
  host = String(host || "");
  if (!/[^\x00-\x7f]/.test(host)) return "";
  try {
    return new URL("http://" + host + "/").hostname;
  } catch {
    return null;
  }
}

// hostNote is what goes beside a non-ASCII host: its punycode, or a word
// that it cannot be a real host name.
function hostNote(host) {
  const a = asciiHost(host);
  if (a === "") return null;
  if (a === null) return el("span", { class: "puny", title: "This host name is not valid: it holds characters no real host name has" }, " (not a valid host name)");
  return el("span", { class: "puny", title: "The host in ASCII (punycode): the name the browser resolves" }, " (", el("bdi", { dir: "ltr" }, a), ")");
}

// hostView renders a host, isolated, with its punycode when not ASCII.
export function hostView(host) {
  const f = document.createDocumentFragment();
  f.append(el("bdi", { dir: "ltr", class: "host" }, host));
  const n = hostNote(host);
  if (n) f.append(n);
  return f;
}

// urlView renders a URL, isolated, with its host's punycode when not ASCII.
export function urlView(url) {
  const f = document.createDocumentFragment();
  f.append(el("bdi", { dir: "ltr", class: "u" }, url));
  const n = hostNote(hostOf(url));
  if (n) f.append(n);
  return f;
}

// hostLabel is a host as plain text (a canvas label, a tooltip): its
// punycode when it has one, else the host with hidden characters escaped.
export function hostLabel(host) {
  const a = asciiHost(host);
  return a ? a : visible(host);
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

