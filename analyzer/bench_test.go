package analyzer

import (
	"why401/analyzer/internal/detect"

	"why401/analyzer/internal/verdict"

	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"why401/analyzer/internal/capture"
)

// Benchmarks per stage. Figures: go test ./analyzer -run '^$' -bench . -benchmem
// (bench/run.sh prints the end-to-end table against jq, wasm and the browser).

var benchRaw = mustRead("testdata/cases/core/cloudflare-managed-challenge.http")

func mustRead(p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		panic(err)
	}
	return b
}

// benchHAR is a HAR of n entries built from a few typical ones.
func benchHAR(n int) []byte {
	entries := []string{
		`{"request":{"method":"GET","url":"https://shop.example/static/app.js","httpVersion":"http/2.0","headers":[{"name":":authority","value":"shop.example"},{"name":"user-agent","value":"Mozilla/5.0 Chrome/142.0.0.0"},{"name":"accept","value":"*/*"}]},"response":{"status":200,"headers":[{"name":"content-type","value":"application/javascript"}],"content":{"mimeType":"application/javascript","text":"` + strings.Repeat("function a(b){return b+1};", 100) + `"}}}`,
		`{"request":{"method":"GET","url":"https://api.shop.example/v1/me","headers":[{"name":"authorization","value":"Bearer abcdefghijklmnopqrstuvwxyz0123456789"}]},"response":{"status":401,"headers":[{"name":"www-authenticate","value":"Bearer realm=\"api\", error=\"invalid_token\""},{"name":"content-type","value":"application/json"}],"content":{"mimeType":"application/json","text":"{\"error\":\"invalid_token\"}"}}}`,
		`{"request":{"method":"GET","url":"https://shop.example/products","headers":[{"name":"user-agent","value":"python-requests/2.31.0"}]},"response":{"status":403,"headers":[{"name":"server","value":"cloudflare"},{"name":"cf-mitigated","value":"challenge"},{"name":"content-type","value":"text/html"}],"content":{"mimeType":"text/html","text":"<html><title>Just a moment...</title><script>window._cf_chl_opt={}</script>` + strings.Repeat("<div>x</div>", 200) + `</html>"}}}`,
		`{"request":{"method":"GET","url":"https://shop.example/img/a.png","headers":[]},"response":{"status":304,"headers":[]}}`,
	}
	var b bytes.Buffer
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(entries[i%len(entries)])
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}

func BenchmarkReadRaw(b *testing.B) {
	b.SetBytes(int64(len(benchRaw)))
	b.ReportAllocs()
	for b.Loop() {
		capture.ParseText(benchRaw, capture.DefaultLimits(), &capture.Warnings{})
	}
}

func BenchmarkReadHAR(b *testing.B) {
	data := benchHAR(2000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s := capture.NewJSONScanner(nil, data, capture.DefaultLimits())
		capture.ReadHAR(s, capture.DefaultLimits(), &capture.Warnings{}, func(capture.Exchange) {})
	}
}

func benchExchanges() []capture.Exchange {
	var exs []capture.Exchange
	s := capture.NewJSONScanner(nil, benchHAR(4), capture.DefaultLimits())
	capture.ReadHAR(s, capture.DefaultLimits(), &capture.Warnings{}, func(e capture.Exchange) { exs = append(exs, e) })
	return exs
}

func BenchmarkSignals(b *testing.B) {
	exs := benchExchanges()
	b.ReportAllocs()
	for b.Loop() {
		for i := range exs {
			detect.Signals(&exs[i], capture.DefaultLimits(), &capture.Warnings{})
		}
	}
}

func BenchmarkVerdict(b *testing.B) {
	var sigs [][]detect.Signal
	for _, ex := range benchExchanges() {
		sigs = append(sigs, detect.Signals(&ex, capture.DefaultLimits(), &capture.Warnings{}))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range sigs {
			verdict.Fixes(verdict.Decide(s))
		}
	}
}

func BenchmarkRender(b *testing.B) {
	rep, err := Analyze(benchHAR(400))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rep.WriteText(io.Discard, TextOptions{})
		json.NewEncoder(io.Discard).Encode(rep)
	}
}

func BenchmarkAnalyzeHAR(b *testing.B) {
	data := benchHAR(5000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportJSON: the report of a 400-entry HAR as the doors write it
// (encoding/json); compare with BenchmarkAnalyzeHAR for its share of the work.
func BenchmarkReportJSON(b *testing.B) {
	rep, err := Analyze(benchHAR(400))
	if err != nil {
		b.Fatal(err)
	}
	buf := rep.AppendJSON(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = rep.AppendJSON(buf[:0])
	}
}

func benchRenderReport(b *testing.B) Report {
	rep, err := AnalyzeWith(benchHAR(400), Options{Name: "bench.har"})
	if err != nil {
		b.Fatal(err)
	}
	return rep
}

func BenchmarkRenderText(b *testing.B) {
	rep := benchRenderReport(b)
	b.ReportAllocs()
	for b.Loop() {
		rep.WriteText(io.Discard, TextOptions{Verbose: true})
	}
}

func BenchmarkRenderMarkdown(b *testing.B) {
	rep := benchRenderReport(b)
	b.ReportAllocs()
	for b.Loop() {
		rep.WriteMarkdown(io.Discard, false)
	}
}

// BenchmarkAnalyzeSmallHAR: a HAR of four entries (~8 KB) handed over as
// bytes, as the page, the worker and a library caller hand a paste: what
// one small analysis allocates (B/op) is the figure to watch.
func BenchmarkAnalyzeSmallHAR(b *testing.B) {
	data := benchHAR(4)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeRaw: one pasted raw response (a Cloudflare challenge
// page, 962 bytes) handed over as bytes: B/op is the figure to watch.
func BenchmarkAnalyzeRaw(b *testing.B) {
	b.SetBytes(int64(len(benchRaw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(benchRaw); err != nil {
			b.Fatal(err)
		}
	}
}
