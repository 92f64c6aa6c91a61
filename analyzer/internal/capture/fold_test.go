package capture

import (
	"bufio"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// foldReaders reads one raw response through each reader that parses
// header lines (raw text, a WARC record's block, a Burp item) and returns
// its response fields and the warnings.
var foldReaders = map[string]func(t *testing.T, msg string, lim Limits) ([]Field, []string){
	"raw": func(t *testing.T, msg string, lim Limits) ([]Field, []string) {
		var w Warnings
		exs, _, err := ParseText([]byte(msg), lim, &w)
		require.NoError(t, err)
		return exs[0].Response.Fields, w.List()
	},
	"warc": func(t *testing.T, msg string, lim Limits) ([]Field, []string) {
		var w Warnings
		rec := "WARC/1.1\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " + strconv.Itoa(len(msg)) + "\r\n\r\n" + msg + "\r\n\r\n"
		var exs []Exchange
		_, _, err := readWARC(bufio.NewReader(strings.NewReader(rec)), lim, &w, func(e Exchange) { exs = append(exs, e) })
		require.NoError(t, err)
		require.Len(t, exs, 1)
		return exs[0].Response.Fields, w.List()
	},
	"burp": func(t *testing.T, msg string, lim Limits) ([]Field, []string) {
		var w Warnings
		x := "<items><item><url>https://a.example/</url><response base64=\"true\">" + base64.StdEncoding.EncodeToString([]byte(msg)) + "</response></item></items>"
		var exs []Exchange
		_, err := readBurp(bufio.NewReader(strings.NewReader(x)), lim, &w, func(e Exchange) { exs = append(exs, e) })
		require.NoError(t, err)
		require.Len(t, exs, 1)
		return exs[0].Response.Fields, w.List()
	},
}

func field(fs []Field, name string) (string, bool) {
	for _, f := range fs {
		if strings.EqualFold(f.Name, name) {
			return f.Value, true
		}
	}
	return "", false
}

// Obsolete line folding (RFC 9112 §5.2) joins continuation lines with one
// space, stops at HeaderBytes with a warning, and a continuation of a field
// dropped at HeaderFields is dropped with it, in every reader.
func TestObsFold(t *testing.T) {
	for name, read := range foldReaders {
		t.Run(name, func(t *testing.T) {
			lim := Limits{HeaderBytes: 64, HeaderFields: 3}.WithDefaults()
			msg := "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\n realm=\"folded\"\r\n\t charset=\"UTF-8\"\r\n" +
				"X-Long: start\r\n" + strings.Repeat(" 0123456789\r\n", 20) +
				"X-Third: 3\r\nX-Fourth: dropped\r\n continuation of the dropped field\r\n\r\n"
			fs, warns := read(t, msg, lim)
			v, _ := field(fs, "WWW-Authenticate")
			assert.Equal(t, `Basic realm="folded" charset="UTF-8"`, v)
			long, _ := field(fs, "X-Long")
			assert.Len(t, long, 64, "a folded value stops at HeaderBytes")
			assert.True(t, strings.HasPrefix(long, "start 0123456789 0123456789"), long)
			third, _ := field(fs, "X-Third")
			assert.Equal(t, "3", third, "the continuation of a dropped field is not added to the kept one")
			_, ok := field(fs, "X-Fourth")
			assert.False(t, ok)
			joined := strings.Join(warns, "\n")
			assert.Contains(t, joined, `header "X-Long" was longer than 64 bytes`)
			assert.Contains(t, joined, "limit HeaderFields")
		})
	}
}

// A field folded over many lines is built in one buffer: the allocations
// grow with the input, not with its square (the whole value was copied for
// each line: 16,000 lines of 4 bytes allocated 268 MB).
func TestObsFoldAllocations(t *testing.T) {
	msg := "HTTP/1.1 401 Unauthorized\r\nX-Folded: a\r\n" + strings.Repeat(" b\r\n", 16000) + "\r\n"
	for name, read := range foldReaders {
		allocs := testing.AllocsPerRun(2, func() {
			fs, _ := read(t, msg, DefaultLimits())
			v, _ := field(fs, "X-Folded")
			if len(v) != 1+2*16000 {
				t.Fatalf("%s: folded value of %d bytes", name, len(v))
			}
		})
		assert.Less(t, allocs, 200.0, "%s: %v allocations for one folded field", name, allocs)
	}
}

// A WARC record header line longer than the read buffer is skipped whole:
// its second piece ("WARC-Type: request") must not pass for a field.
func TestWARCLongHeaderLine(t *testing.T) {
	msg := "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\n\r\n"
	rec := "WARC/1.1\r\nWARC-Type: response\r\nX-Pad: " + strings.Repeat("a", 4096-7) + "WARC-Type: request\r\n" +
		"Content-Type: application/http; msgtype=response\r\nContent-Length: " + strconv.Itoa(len(msg)) + "\r\n\r\n" + msg + "\r\n\r\n"
	var w Warnings
	var exs []Exchange
	_, _, err := readWARC(bufio.NewReaderSize(strings.NewReader(rec), 4096), DefaultLimits(), &w, func(e Exchange) { exs = append(exs, e) })
	require.NoError(t, err)
	require.Len(t, exs, 1, "the response record was read as a response")
	assert.Equal(t, 401, exs[0].Response.Status)
	assert.Contains(t, strings.Join(w.List(), "\n"), "WARC record header line was longer than the read buffer")
}
