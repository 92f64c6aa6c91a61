package analyzer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// refReport is Report without its MarshalJSON: encoding/json encodes it by
// reflection, the reference AppendJSON must equal byte for byte.
type refReport Report

// refJSON is what the doors wrote before AppendJSON: an Encoder with
// SetEscapeHTML(false), less Encode's newline.
func refJSON(t testing.TB, r Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(refReport(r)); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// checkReportJSON compares AppendJSON with encoding/json, and encoding/json
// through Report.MarshalJSON with encoding/json by reflection (HTML escaping
// on, as json.Marshal does).
func checkReportJSON(t testing.TB, what string, r Report) {
	t.Helper()
	want := refJSON(t, r)
	got := r.AppendJSON(nil)
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		lo := max(0, i-80)
		t.Fatalf("%s: AppendJSON differs from encoding/json at byte %d:\n got …%s\nwant …%s", what, i,
			got[lo:min(len(got), i+80)], want[lo:min(len(want), i+80)])
	}
	viaMethod, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	byReflection, err := json.Marshal(refReport(r))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(viaMethod, byReflection) {
		t.Fatalf("%s: json.Marshal(Report) differs from its reflection", what)
	}
}

// TestReportJSONCases: every golden case and every real capture.
func TestReportJSONCases(t *testing.T) {
	n := 0
	for dir, names := range caseFiles(t) {
		for _, name := range names {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := AnalyzeWith(data, Options{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			checkReportJSON(t, filepath.Join(dir, name), rep)
			n++
		}
	}
	files, _ := filepath.Glob(filepath.Join(sharedCaptures, "*.har"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := AnalyzeWith(data, Options{Name: filepath.Base(f)})
		if err != nil {
			continue // a broken file: the doors send the error, not a report
		}
		checkReportJSON(t, f, rep)
		n++
	}
	if n < 50 {
		t.Fatalf("only %d reports compared", n)
	}
	t.Logf("%d reports byte-identical (%d real captures)", n, len(files))
}

// reportFiller builds a report from bytes by reflection: every settable
// field of every type a Report reaches gets a value (or nil, or empty), so a
// field added to the contract and not to reportjson.go makes the
// comparison fail.
type reportFiller struct {
	data  []byte
	depth int
}

func (f *reportFiller) next() byte {
	if len(f.data) == 0 {
		return 0
	}
	c := f.data[0]
	f.data = f.data[1:]
	return c
}

// stringPieces are what the high half of a byte picks: the characters JSON
// escaping treats specially, multi-byte runes and broken UTF-8.
var stringPieces = []string{"<", ">", "&", `"`, `\`, "/", "\x00", "\x1f", "\x7f", "\b", "\f", "\n", "\r", "\t",
	"é", "€", "😀", "\u2028", "\u2029", "\ufffd", "\xff", "\xc3", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\u00a0", "\ufeff", "<script>", "a&b", " "}

func (f *reportFiller) string() string {
	n := int(f.next() % 24)
	var b strings.Builder
	for range n {
		c := f.next()
		if c < 0x80 {
			b.WriteByte(c)
		} else {
			b.WriteString(stringPieces[int(c-0x80)%len(stringPieces)])
		}
	}
	return b.String()
}

var interestingFloats = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.99, 0.1, 0.2 + 0.1, 1e-6, 9.99999e-7, 1e-7, -1e-7,
	1.5e-300, 1e20, 1e21, -1e21, 123456789012345678901234.0, 1e100, math.MaxFloat64, math.SmallestNonzeroFloat64, 100, 12.34}

func (f *reportFiller) float() float64 {
	c := f.next()
	if int(c) < 2*len(interestingFloats) {
		return interestingFloats[int(c)%len(interestingFloats)]
	}
	var b [8]byte
	for i := range b {
		b[i] = f.next()
	}
	x := math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return float64(c)
	}
	return x
}

func (f *reportFiller) int() int64 {
	switch c := f.next(); c % 4 {
	case 0:
		return int64(c / 4)
	case 1:
		return -int64(c / 4)
	default:
		var b [8]byte
		for i := range b {
			b[i] = f.next()
		}
		return int64(binary.LittleEndian.Uint64(b[:]))
	}
}

func (f *reportFiller) fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.string())
	case reflect.Int:
		v.SetInt(f.int())
	case reflect.Float64:
		v.SetFloat(f.float())
	case reflect.Bool:
		v.SetBool(f.next()&1 == 1)
	case reflect.Pointer:
		if f.next()%3 == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem())
		v.Set(p)
	case reflect.Slice:
		c := f.next()
		switch {
		case c%4 == 0:
			return // nil
		case c%4 == 1 || f.depth > 3:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return
		}
		n := int(c/4)%4 + 1
		s := reflect.MakeSlice(v.Type(), n, n)
		f.depth++
		for i := range n {
			f.fill(s.Index(i))
		}
		f.depth--
		v.Set(s)
	case reflect.Map:
		c := f.next()
		if c%4 == 0 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range int(c/4) % 6 {
			k := reflect.New(v.Type().Key()).Elem()
			e := reflect.New(v.Type().Elem()).Elem()
			f.fill(k)
			f.fill(e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				f.fill(v.Field(i))
			}
		}
	default:
		panic("reportFiller: a report field of kind " + v.Kind().String() + ": teach reportjson.go (and this filler) about it")
	}
}

func fuzzedReport(data []byte) Report {
	var r Report
	(&reportFiller{data: data}).fill(reflect.ValueOf(&r).Elem())
	return r
}

// TestReportJSONRandom: reports with every field set at random.
func TestReportJSONRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		data := make([]byte, 64+rng.IntN(4096))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		r := fuzzedReport(data)
		if i == 0 {
			r = Report{}
		}
		checkReportJSON(t, "random report", r)
	}
}

func FuzzReportJSON(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x05\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a"))
	f.Add(bytes.Repeat([]byte{7, 0x90, 0x93, 'a', 200, 1, 2, 3}, 40))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReportJSON(t, "fuzzed report", fuzzedReport(data))
		// The same bytes as one string and as an OptString, HTML escaping on and off.
		checkJSONString(t, string(data))
		var o, ref OptString
		err := o.UnmarshalJSON(data)
		refErr := refUnmarshalOpt(&ref, data)
		if o != ref || (err == nil) != (refErr == nil) {
			t.Fatalf("UnmarshalJSON(%q) = %q, %v; encoding/json: %q, %v", data, o, err, ref, refErr)
		}
	})
}

// checkJSONString compares the string encoders with encoding/json's.
func checkJSONString(t testing.TB, s string) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	if got, want := appendJSONString(nil, s, false), bytes.TrimSuffix(b.Bytes(), []byte("\n")); !bytes.Equal(got, want) {
		t.Fatalf("appendJSONString(%q) = %s, encoding/json: %s", s, got, want)
	}
	want, _ := json.Marshal(s)
	if got, _ := OptString(s).MarshalJSON(); s != "" && !bytes.Equal(got, want) {
		t.Fatalf("OptString(%q).MarshalJSON() = %s, json.Marshal: %s", s, got, want)
	}
	want, _ = json.Marshal(map[string]string{"error": s})
	if got := AppendJSONError(nil, s); !bytes.Equal(got, want) {
		t.Fatalf("AppendJSONError(%q) = %s, json.Marshal: %s", s, got, want)
	}
	// Round trip through the hand parser.
	var o OptString
	if err := o.UnmarshalJSON(appendJSONString(nil, s, false)); err != nil || (string(o) != s && utf8.ValidString(s)) {
		t.Fatalf("UnmarshalJSON(appendJSONString(%q)) = %q, %v", s, o, err)
	}
}

// refUnmarshalOpt is OptString.UnmarshalJSON as it was, on encoding/json.
func refUnmarshalOpt(s *OptString, b []byte) error {
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var v string
	err := json.Unmarshal(b, &v)
	*s = OptString(v)
	return err
}

func TestJSONStringTable(t *testing.T) {
	for _, s := range []string{"", "plain", `"quoted"`, `back\slash`, "a/b", "<b>&amp;</b>", "\x00\x01\x07\x08\x0b\x0c\x0e\x1f\x7f",
		"tab\there\nnew\rret", "\b\f", "é€😀", "\u2028\u2029", "x\u2028y\u2029z", "\xff", "a\xffb", "\xc3", "\xc3(", "\xe2\x80",
		"\xe2\x80\xa8", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xef\xbf\xbd", "\u00a0", "\ufeff", strings.Repeat("x", 1000) + "\n"} {
		checkJSONString(t, s)
	}
}

func TestJSONFloatTable(t *testing.T) {
	for _, f := range append(interestingFloats, 0.3, 2.5e-5, 5e-324, 1e-6-1e-22, 999999999999999999999.0, 1e21-1e5, 0.01, 0.07, 0.33, 42, -123.456,
		float64(1<<53), 1.7976931348623157e308, 4.9406564584124654e-324, 0.000001, 0.0000001234) {
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONFloat(nil, f); !bytes.Equal(got, want) {
			t.Errorf("appendJSONFloat(%v) = %s, encoding/json: %s", f, got, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got := appendJSONFloat(nil, f); string(got) != "null" {
			t.Errorf("appendJSONFloat(%v) = %s", f, got)
		}
		if _, err := json.Marshal(Report{Exchanges: []ExchangeReport{{Confidence: f}}}); err == nil {
			t.Errorf("json.Marshal of a report with confidence %v: no error", f)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		f := math.Float64frombits(rng.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		if rng.IntN(2) == 0 {
			f = math.Round(rng.Float64()*100) / 100 // a confidence
		}
		want, _ := json.Marshal(f)
		if got := appendJSONFloat(nil, f); !bytes.Equal(got, want) {
			t.Fatalf("appendJSONFloat(%v) = %s, encoding/json: %s", f, got, want)
		}
	}
}

func TestOptStringUnmarshal(t *testing.T) {
	for _, in := range []string{`null`, ` null `, `""`, `"x"`, ` "x" `, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u20AC"`, `"\ud83d\ude00"`,
		`"\ud83d"`, `"\ud83dx"`, `"\ud83d\u0041"`, `"\ude00"`, `"\ud83d\ud83d\ude00"`, `"\u12"`, `"\u12zz"`, `"\x"`, `"\'"`, `"a`, `"a"b"`,
		`"a" "b"`, `1`, `true`, `{}`, `[]`, ``, `nul`, `"` + "\x01" + `"`, `"` + "\xff" + `"`, `"` + "\xe2\x80\xa8" + `"`, `"é"`, `"\`,
		`"\u`, `"\ud83d\u"`, `"\u0000"`} {
		var o, ref OptString
		o, ref = "stale", "stale"
		err := o.UnmarshalJSON([]byte(in))
		refErr := refUnmarshalOpt(&ref, []byte(in))
		if o != ref || (err == nil) != (refErr == nil) {
			t.Errorf("UnmarshalJSON(%q) = %q, %v; encoding/json: %q, %v", in, o, err, ref, refErr)
		}
	}
	// Inside a struct, through encoding/json.
	var in InputInfo
	if err := json.Unmarshal([]byte(`{"producer": "chrome \u0026 co"}`), &in); err != nil || in.Producer != "chrome & co" {
		t.Fatalf("%q %v", in.Producer, err)
	}
	if err := json.Unmarshal([]byte(`{"producer": null}`), &in); err != nil || in.Producer != "" {
		t.Fatalf("%q %v", in.Producer, err)
	}
}

// BenchmarkReportJSON: the report of a 400-entry HAR encoded by
// encoding/json (reflection, as the doors did) and by AppendJSON.
func BenchmarkReportJSON(b *testing.B) {
	rep, err := Analyze(benchHAR(400))
	if err != nil {
		b.Fatal(err)
	}
	size := len(rep.AppendJSON(nil))
	b.Run("encoding_json", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			enc := json.NewEncoder(io.Discard)
			enc.SetEscapeHTML(false)
			enc.Encode(refReport(rep))
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = rep.AppendJSON(buf[:0])
		}
	})
}

// TestJSONString8: appendJSONString tests 8 bytes at once for the common
// case; every byte value at every position of 8- and 16-byte strings of
// plain bytes, and random strings, against encoding/json.
func TestJSONString8(t *testing.T) {
	for _, bg := range []string{"aaaaaaaaaaaaaaaa", "                ", "~~~~~~~~~~~~~~~~", "!!!!!!!!!!!!!!!!", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f", "#]]]]]]##]]]]]]#"} {
		for _, n := range []int{8, 9, 16} {
			for pos := range n {
				for c := range 256 {
					b := []byte(bg[:n])
					b[pos] = byte(c)
					checkJSONString(t, string(b))
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 50000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.IntN(0x70) + 0x10)
			if rng.IntN(50) == 0 {
				b[i] = byte(rng.Uint32())
			}
		}
		checkJSONString(t, string(b))
	}
}
