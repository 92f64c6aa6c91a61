//go:build js && wasm && !slim

package main

const slim = false // the full build, as web/analyzer-full.wasm is
