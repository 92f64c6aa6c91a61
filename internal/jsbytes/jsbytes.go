//go:build js && wasm

// Package jsbytes moves bytes between Go and JavaScript for the page's wasm
// programs (wasm, wasm/sanitize) and their tests.
package jsbytes

import "syscall/js"

// Of returns the bytes of a JS string (as UTF-8) or Uint8Array.
func Of(v js.Value) []byte {
	if v.Type() == js.TypeString {
		return []byte(v.String())
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}

// OfAtMost is Of that copies at most n bytes (a string is cut at n bytes
// of its UTF-8).
func OfAtMost(v js.Value, n int) []byte {
	if v.Type() == js.TypeString {
		s := v.String()
		return []byte(s[:min(len(s), n)])
	}
	b := make([]byte, min(v.Get("length").Int(), n))
	if len(b) > 0 {
		js.CopyBytesToGo(b, v.Call("subarray", 0, len(b)))
	}
	return b
}

// Array returns a new Uint8Array holding a copy of b.
func Array(b []byte) js.Value {
	v := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(v, b)
	return v
}
