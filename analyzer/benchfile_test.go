package analyzer

import (
	"os"
	"testing"
)

// BenchmarkAnalyzeFile: the full report of the file named by WHY401_BENCH_FILE
// (a bench/genhar HAR of either shape), as the CLI makes it, for CPU profiles
// of a real shape:
//
//	go run ./bench/genhar -shape compact -size 100MB -o /tmp/compact.har
//	WHY401_BENCH_FILE=/tmp/compact.har GOMAXPROCS=1 go test ./analyzer -run '^$' \
//	    -bench AnalyzeFile -benchtime 5x -cpuprofile /tmp/cpu.out
func BenchmarkAnalyzeFile(b *testing.B) {
	path := os.Getenv("WHY401_BENCH_FILE")
	if path == "" {
		b.Skip("WHY401_BENCH_FILE names no file")
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var out []byte
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := AnalyzeReader(f, Options{Name: path})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		out = rep.AppendJSON(out[:0])
	}
}
