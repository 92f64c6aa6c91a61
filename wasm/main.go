//go:build js && wasm

// Command wasm exposes the analyzer to the web page as globalThis.why401.
//
//	why401.analyze(input, name) → Report JSON string, or {"error": "…"}
//	why401.markdown(input, name) → the report as Markdown
//
// input is a string or a Uint8Array. Nothing leaves the page: the analyzer
// does no I/O.
package main

import (
	"bytes"
	"encoding/json"
	"syscall/js"

	"why401/analyzer"
)

func bytesOf(v js.Value) []byte {
	if v.Type() == js.TypeString {
		return []byte(v.String())
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}

func errJSON(err error) string {
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	return string(b)
}

func analyze(args []js.Value) (analyzer.Report, error) {
	if len(args) == 0 {
		return analyzer.Report{}, analyzer.ErrEmpty
	}
	name := ""
	if len(args) > 1 && args[1].Type() == js.TypeString {
		name = args[1].String()
	}
	return analyzer.AnalyzeWith(bytesOf(args[0]), analyzer.Options{Name: name})
}

func main() {
	api := map[string]any{
		"version": "dev",
		"analyze": js.FuncOf(func(_ js.Value, args []js.Value) any {
			rep, err := analyze(args)
			if err != nil {
				return errJSON(err)
			}
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(rep); err != nil {
				return errJSON(err)
			}
			return b.String()
		}),
		"markdown": js.FuncOf(func(_ js.Value, args []js.Value) any {
			rep, err := analyze(args)
			if err != nil {
				return errJSON(err)
			}
			var b bytes.Buffer
			rep.WriteMarkdown(&b, true)
			return b.String()
		}),
	}
	js.Global().Set("why401", js.ValueOf(api))
	select {}
}
