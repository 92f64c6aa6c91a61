// Command slimknowledge writes the page's copy of the embedded knowledge
// files: each JSON file of analyzer/vendors, analyzer/apis and
// analyzer/internal/knowledge without the members no analysis reads
// ("sources": where a fact was learnt; "notes": a reader's remarks) and
// without the indentation, plus a go build -overlay file that puts the
// copies in place of the originals. The wasm builds of build.sh (page_wasm)
// use it: ~11 KB less gzip for the page, with the same reports (build.sh
// test runs the case goldens once with the overlay: TestCases under
// -overlay).
//
//	go run ./internal/cmd/slimknowledge DIR    writes DIR/overlay.json and the copies
//
// Members, arrays and strings keep their order and their values; only the
// two member names above are dropped, at any depth, except a proxy
// provider's "sources" (proxy_providers.json), which its loader requires.
// Run from the module's root.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// dirs are the folders whose *.json files the analyzer embeds.
var dirs = []string{"analyzer/vendors", "analyzer/apis", "analyzer/internal/knowledge"}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/cmd/slimknowledge DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "slimknowledge:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	out, err = filepath.Abs(out)
	if err != nil {
		return err
	}
	replace := map[string]string{}
	var before, after int
	for _, d := range dirs {
		files, err := filepath.Glob(filepath.Join(root, d, "*.json"))
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return fmt.Errorf("no JSON files in %s: run from the module's root", d)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			drop := map[string]bool{"sources": true, "notes": true}
			if filepath.Base(f) == "proxy_providers.json" {
				delete(drop, "sources")
			}
			slim, err := strip(src, drop)
			if err != nil {
				return fmt.Errorf("%s: %v", f, err)
			}
			dst := filepath.Join(out, d, filepath.Base(f))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(dst, slim, 0o644); err != nil {
				return err
			}
			replace[f] = dst
			before += len(src)
			after += len(slim)
		}
	}
	ov, err := json.MarshalIndent(map[string]any{"Replace": replace}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "overlay.json"), ov, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "slimknowledge: %d files, %d -> %d bytes\n", len(replace), before, after)
	return nil
}

// strip re-writes one JSON document compactly, leaving out the object
// members named in drop (and everything inside them).
func strip(src []byte, drop map[string]bool) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var b bytes.Buffer
	if err := value(dec, &b, drop); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value")
	}
	return b.Bytes(), nil
}

// value copies the next value of dec into b.
func value(dec *json.Decoder, b *bytes.Buffer, drop map[string]bool) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			b.WriteByte('{')
			first := true
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				name, _ := k.(string)
				if drop[name] {
					var skip json.RawMessage
					if err := dec.Decode(&skip); err != nil {
						return err
					}
					continue
				}
				if !first {
					b.WriteByte(',')
				}
				first = false
				if err := scalar(b, name); err != nil {
					return err
				}
				b.WriteByte(':')
				if err := value(dec, b, drop); err != nil {
					return err
				}
			}
			b.WriteByte('}')
		case '[':
			b.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				if err := value(dec, b, drop); err != nil {
					return err
				}
			}
			b.WriteByte(']')
		}
		_, err := dec.Token() // the closing delimiter
		return err
	case json.Number:
		b.WriteString(t.String())
		return nil
	default:
		return scalar(b, t)
	}
}

// scalar writes a string, a bool or null as JSON, without HTML escaping.
func scalar(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}
