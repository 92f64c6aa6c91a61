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

// Array returns a new Uint8Array holding a copy of b.
func Array(b []byte) js.Value {
	v := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(v, b)
	return v
}
