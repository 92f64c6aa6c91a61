#!/usr/bin/env bash
# What costs size in the page wasm: builds the real web/analyzer.wasm, then
# measurement-only variants in a temporary copy where one dependency at a time
# is replaced by a do-nothing stub (the stubs break behaviour; they only show
# what each dependency costs). Prints raw, gzip -9 and (if installed) brotli.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags=(-trimpath -ldflags=-s\ -w)
size() { # label file
  printf '%-46s %9d raw %9d gzip' "$1" "$(wc -c <"$2")" "$(gzip -9 -c "$2" | wc -c)"
  if command -v brotli >/dev/null; then printf ' %9d br' "$(brotli -q 11 -c "$2" | wc -c)"; fi
  echo
}
build() { (cd "$tmp/repo" && GOFLAGS=-mod=mod GOOS=js GOARCH=wasm go build "${flags[@]}" "${@:2}" -o "$tmp/$1.wasm" ./wasm) && size "$1" "$tmp/$1.wasm"; }

mkdir -p "$tmp/repo"
cp -r go.mod go.sum analyzer wasm "$tmp/repo/"
rm -f "$tmp/repo"/wasm/*_test.go
build "page wasm (as built)"
build "  … with -gcflags=all=-l (no inlining)" -gcflags=all=-l

# regexp → stub
mkdir -p "$tmp/repo/internal/stubre"
cat >"$tmp/repo/internal/stubre/re.go" <<'GO'
package stubre
type Regexp struct{}
func Compile(string) (*Regexp, error) { return nil, nil }
func MustCompile(string) *Regexp { return nil }
func (*Regexp) Match([]byte) bool { return true }
func (*Regexp) MatchString(string) bool { return true }
func (*Regexp) FindStringSubmatch(string) []string { return nil }
func (*Regexp) FindSubmatch([]byte) [][]byte { return nil }
func (*Regexp) FindString(string) string { return "" }
GO
sed -i 's#^\t"regexp"$#\tregexp "why401/internal/stubre"#' "$tmp/repo"/analyzer/*.go
build "  without regexp"

# gjson → stub module
mkdir -p "$tmp/gjson"
printf 'module github.com/tidwall/gjson\ngo 1.22\n' >"$tmp/gjson/go.mod"
cat >"$tmp/gjson/gjson.go" <<'GO'
package gjson
type Type int
const ( Null Type = iota; False; Number; String; True; JSON )
type Result struct { Type Type; Raw string; Str string; Num float64; Index int }
func (r Result) Get(p string) Result { return Result{Raw: r.Raw[:len(p)%(len(r.Raw)+1)]} }
func (r Result) String() string { return r.Raw }
func (r Result) Int() int64 { return int64(len(r.Raw)) }
func (r Result) Float() float64 { return float64(len(r.Raw)) }
func (r Result) Bool() bool { return r.Raw == "true" }
func (r Result) Exists() bool { return r.Raw != "" }
func (r Result) IsObject() bool { return r.Type == JSON }
func (r Result) IsArray() bool { return r.Type == JSON }
func (r Result) ForEach(f func(k, v Result) bool) { for i := range r.Raw { if !f(Result{Raw: r.Raw[i:]}, r) { return } } }
func (r Result) Array() []Result { return []Result{r} }
func Parse(s string) Result { return Result{Raw: s} }
func ParseBytes(b []byte) Result { return Result{Raw: string(b)} }
func Get(s, p string) Result { return Parse(s).Get(p) }
func GetBytes(b []byte, p string) Result { return ParseBytes(b).Get(p) }
func Valid(s string) bool { return len(s) > 2 }
func ValidBytes(b []byte) bool { return len(b) > 2 }
GO
(cd "$tmp/repo" && go mod edit -replace github.com/tidwall/gjson="$tmp/gjson")
build "  without regexp and gjson" || echo "  (gjson stub does not cover the API in use)"

# encoding/json → stub
mkdir -p "$tmp/repo/internal/stubjson"
cat >"$tmp/repo/internal/stubjson/json.go" <<'GO'
package stubjson
import "io"
type Decoder struct{ r io.Reader }
func NewDecoder(r io.Reader) *Decoder { return &Decoder{r} }
func (d *Decoder) DisallowUnknownFields() {}
func (d *Decoder) UseNumber() {}
func (d *Decoder) More() bool { return false }
func (d *Decoder) Token() (Token, error) { return nil, io.EOF }
type Token any
type Delim rune
type Number string
func (n Number) String() string { return string(n) }
func (n Number) Float64() (float64, error) { return 0, nil }
func (n Number) Int64() (int64, error) { return 0, nil }
func (d *Decoder) Decode(v any) error { return nil }
type Encoder struct{ w io.Writer }
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w} }
func (e *Encoder) SetEscapeHTML(bool) {}
func (e *Encoder) SetIndent(a, b string) {}
func (e *Encoder) Encode(v any) error { _, err := e.w.Write([]byte("x")); return err }
func Marshal(v any) ([]byte, error) { return []byte("x"), nil }
func MarshalIndent(v any, a, b string) ([]byte, error) { return []byte("x"), nil }
func Unmarshal(b []byte, v any) error { return nil }
func Valid(b []byte) bool { return true }
type RawMessage []byte
GO
sed -i 's#^\t"encoding/json"$#\tjson "why401/internal/stubjson"#' "$tmp/repo"/analyzer/*.go "$tmp/repo"/wasm/main.go
build "  without regexp, gjson and encoding/json" || echo "  (json stub does not cover the API in use)"

# Floors: the Go runtime and syscall/js alone, then with fmt.
mkdir -p "$tmp/floor/a" "$tmp/floor/b"
printf 'module floor\ngo 1.26\n' >"$tmp/floor/go.mod"
printf 'package main\nimport "syscall/js"\nfunc main() { js.Global().Set("x", 1); select {} }\n' >"$tmp/floor/a/main.go"
printf 'package main\nimport ("fmt"; "syscall/js")\nfunc main() { js.Global().Set("x", fmt.Sprintf("%%v %%d", js.Global().Get("y"), 3)); select {} }\n' >"$tmp/floor/b/main.go"
(cd "$tmp/floor" && GOOS=js GOARCH=wasm go build "${flags[@]}" -o "$tmp/fa.wasm" ./a && GOOS=js GOARCH=wasm go build "${flags[@]}" -o "$tmp/fb.wasm" ./b)
size "floor: runtime + syscall/js" "$tmp/fa.wasm"
size "floor: runtime + syscall/js + fmt" "$tmp/fb.wasm"
