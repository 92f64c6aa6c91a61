//go:build js && wasm && !slim

package main

// slimBuild: these tests run on a full build (npm, sanitizer.wasm, plain).
const slimBuild = false
