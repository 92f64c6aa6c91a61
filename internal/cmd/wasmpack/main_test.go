package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// image is linear memory as the data segments leave it.
func image(t *testing.T, b []byte) []byte {
	t.Helper()
	var mem []byte
	for i := 8; i < len(b); {
		id := b[i]
		size, n := uleb(b[i+1:])
		body := b[i+1+n : i+1+n+int(size)]
		i += 1 + n + int(size)
		if id != 11 {
			continue
		}
		segs, err := readData(body)
		require.NoError(t, err)
		for _, s := range segs {
			if end := int(s.off) + len(s.data); end > len(mem) {
				mem = append(mem, make([]byte, end-len(mem))...)
			}
			copy(mem[s.off:], s.data)
		}
	}
	return mem
}

// otherSections is every section but the data section, in order: its id
// and contents (the linker pads size fields; pack writes them minimal).
func otherSections(b []byte) [][]byte {
	var out [][]byte
	for i := 8; i < len(b); {
		size, n := uleb(b[i+1:])
		if b[i] != 11 {
			out = append(out, append([]byte{b[i]}, b[i+1+n:i+1+n+int(size)]...))
		}
		i += 1 + n + int(size)
	}
	return out
}

// buildWasm compiles a small Go program for js/wasm: a real linker output,
// with its tens of thousands of data segments.
func buildWasm(t *testing.T) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a js/wasm binary")
	}
	dir := t.TempDir()
	src := "package main\nimport (\"strconv\"; \"syscall/js\")\nvar table = map[string]int{\"a\": 1, \"b\": 2}\nfunc main() { js.Global().Set(\"x\", strconv.Itoa(table[\"a\"])) }\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module probe\ngo 1.26\n"), 0o644))
	out := filepath.Join(dir, "probe.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=")
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, string(msg))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	return b
}

func TestPackKeepsMemoryAndSections(t *testing.T) {
	b := buildWasm(t)
	for _, gap := range []int{0, 16, 4096, 1 << 30} {
		packed, st, err := pack(b, gap)
		require.NoError(t, err)
		require.Greater(t, st.before, 1000, "the linker splits data at zero runs")
		if gap >= 4096 {
			require.Less(t, st.after, 10)
		}
		want, got := image(t, b), image(t, packed)
		require.True(t, bytes.Equal(want, got), "gap %d: memory image differs", gap)
		require.Equal(t, otherSections(b), otherSections(packed), "gap %d: other sections changed", gap)
		again, _, err := pack(packed, gap)
		require.NoError(t, err)
		require.Equal(t, packed, again, "packing is idempotent")
	}
}

func TestPackRunsUnderNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node")
	}
	packed, _, err := pack(buildWasm(t), 4096)
	require.NoError(t, err)
	dir := t.TempDir()
	w := filepath.Join(dir, "p.wasm")
	require.NoError(t, os.WriteFile(w, packed, 0o644))
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err)
	execJS := filepath.Join(string(bytes.TrimSpace(goroot)), "lib", "wasm", "wasm_exec.js")
	script := `require(process.argv[1]); const go = new Go();
WebAssembly.instantiate(require("fs").readFileSync(process.argv[2]), go.importObject)
  .then(({instance}) => go.run(instance)).then(() => console.log("x=" + globalThis.x));`
	out, err := exec.Command(node, "-e", script, execJS, w).CombinedOutput()
	require.NoError(t, err, string(out))
	require.Equal(t, "x=1\n", string(out))
}

func TestPackRefusesWhatItDoesNotKnow(t *testing.T) {
	for name, in := range map[string][]byte{
		"empty":     nil,
		"not wasm":  []byte("\x7fELF\x02\x01\x01\x00"),
		"truncated": []byte("\x00asm\x01\x00\x00\x00\x0b\x10\x01"),
		"passive":   []byte("\x00asm\x01\x00\x00\x00\x0b\x04\x01\x01\x01x"),
		"overrun":   []byte("\x00asm\x01\x00\x00\x00\x0b\x07\x01\x00\x41\x00\x0b\x09x"),
		"bad leb":   []byte("\x00asm\x01\x00\x00\x00\x0b\xff\xff\xff\xff\xff\xff"),
	} {
		_, _, err := pack(in, 4096)
		require.Error(t, err, name)
	}
}

func FuzzPack(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x0b\x0f\x02\x00\x41\x10\x0b\x01a\x00\x41\x20\x0b\x01b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		packed, _, err := pack(b, 64)
		if err != nil {
			return
		}
		again, _, err := pack(packed, 64)
		if err != nil || !bytes.Equal(again, packed) {
			t.Fatalf("repacking a packed module changed it (err %v)", err)
		}
	})
}

// limitMemory sets the maximum of the memory and nothing else.
func TestLimitMemory(t *testing.T) {
	// A module of one memory (min 2 pages, no max) and an empty custom section.
	mod := []byte("\x00asm\x01\x00\x00\x00\x05\x03\x01\x00\x02\x00\x01\x00")
	out, err := limitMemory(mod, 2048)
	require.NoError(t, err)
	require.Equal(t, []byte("\x00asm\x01\x00\x00\x00\x05\x05\x01\x01\x02\x80\x10\x00\x01\x00"), out)
	out2, err := limitMemory(out, 16)
	require.NoError(t, err)
	require.Equal(t, []byte("\x00asm\x01\x00\x00\x00\x05\x04\x01\x01\x02\x10\x00\x01\x00"), out2)
	_, err = limitMemory(mod, 1)
	require.Error(t, err, "a maximum below the initial size")
	_, err = limitMemory([]byte("\x00asm\x01\x00\x00\x00"), 16)
	require.Error(t, err)
}
