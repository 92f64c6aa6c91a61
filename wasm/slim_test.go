//go:build js && wasm && slim

package main

const slim = true // built with -tags slim, as web/analyzer.wasm is
