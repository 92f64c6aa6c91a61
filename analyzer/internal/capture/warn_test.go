package capture

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// warnf writes what fmt.Sprintf writes for the verbs and types it knows.
func TestWarnfMatchesFmt(t *testing.T) {
	err := errors.New("unexpected EOF \"x\"")
	tests := []struct {
		format string
		args   []any
	}{
		{"plain text", nil},
		{"", nil},
		{"100%% sure", nil},
		{"trailing %", nil},
		{"the %s capture could not be read to the end (%v)", []any{"warc", err}},
		{"the HAR could not be read to the end (%v); the report covers the %d entries before the problem", []any{err, 12}},
		{"the text input is larger than %d bytes; only its start was read", []any{64 << 20}},
		{"the input is larger than %d bytes; only its start was read (limit InputBytes)", []any{int64(math.MaxInt64)}},
		{"header %q was longer than %d bytes and was cut (limit HeaderBytes)", []any{"X-\"odd\"\xff\té", -3}},
		{"entry %d is larger than %d bytes and was not analysed (limit EntryBytes)", []any{0, math.MinInt}},
		{"%s|%v|%q|%s|%q", []any{"a", "b", "c", err, err}},
		{"%v %d %v", []any{int64(-7), int64(8), 9}},
		{"é%d€", []any{1}},
		{"%v", []any{nil}},
	}
	for _, tc := range tests {
		assert.Equal(t, fmt.Sprintf(tc.format, tc.args...), warnf(tc.format, tc.args...), "%q", tc.format)
	}
	// What it does not know shows rather than vanishes.
	assert.Equal(t, "a %!d(MISSING)", warnf("a %d"))
	assert.Equal(t, "%!x(?) %!d(?)", warnf("%x %d", 1, "s"))
}

func FuzzWarnf(f *testing.F) {
	f.Add("X-A \"q\" \xff", 10, int64(5))
	f.Fuzz(func(t *testing.T, s string, n int, m int64) {
		for _, format := range []string{"%q (%d) %v", "%s %v %d", "%v: %v %v"} {
			want := fmt.Sprintf(format, s, n, m)
			if format == "%s %v %d" {
				want = fmt.Sprintf(format, s, errors.New(s), n)
				if got := warnf(format, s, errors.New(s), n); got != want {
					t.Fatalf("%q: got %q want %q", format, got, want)
				}
				continue
			}
			if got := warnf(format, s, n, m); got != want {
				t.Fatalf("%q: got %q want %q", format, got, want)
			}
		}
	})
}

// Every Addf call in the analyzer's packages passes a literal format whose
// verbs warnf knows, one argument per verb (go vet does not see Addf as
// printf-like).
func TestWarnfVerbs(t *testing.T) {
	files, err := filepath.Glob("../../*.go")
	require.NoError(t, err)
	more, err := filepath.Glob("../*/*.go")
	require.NoError(t, err)
	files = append(files, more...)
	fset := token.NewFileSet()
	calls := 0
	for _, p := range files {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Addf" {
				return true
			}
			calls++
			pos := fset.Position(call.Pos())
			require.GreaterOrEqual(t, len(call.Args), 2, "%s", pos)
			lit, ok := call.Args[1].(*ast.BasicLit)
			require.True(t, ok && lit.Kind == token.STRING, "%s: Addf needs a literal format", pos)
			format, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			verbs := 0
			for i := 0; i < len(format); i++ {
				if format[i] != '%' {
					continue
				}
				require.Less(t, i+1, len(format), "%s: format ends in %%", pos)
				i++
				if format[i] == '%' {
					continue
				}
				assert.Contains(t, "dsqv", string(format[i]), "%s: verb %%%c", pos, format[i])
				verbs++
			}
			assert.Equal(t, verbs, len(call.Args)-2, "%s: %d verbs, %d arguments", pos, verbs, len(call.Args)-2)
			return true
		})
	}
	assert.Greater(t, calls, 10)
}

func TestWarningsList(t *testing.T) {
	var w Warnings
	w.Addf("a", "first %d", 1)
	w.Addf("a", "second %d", 2)
	w.Add("b", "once")
	for range 10 {
		w.Add("c", "many")
	}
	assert.Equal(t, []string{"first 1 (and 1 more like it)", "once", "many (and 9 more like it)"}, w.List())
}
