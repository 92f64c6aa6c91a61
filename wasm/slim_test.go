//go:build js && wasm && slim

package main

// slimBuild: these tests run on the page's analyzer.wasm build (-tags slim),
// which answers {"needs": "full"} for compressed and container input.
const slimBuild = true
