package main

// The input lines of "why401 stream" (stream.go), decoded in one place:
// decodeLine turns one line into a capture to read or structured exchanges
// (analyzer.AnalyzeExchanges). FuzzDecodeLine holds it to its contract: no
// panic, an error or an input, never both.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"why401/analyzer"
)

// lineInput is what one line asks for: exactly one of capture (a capture's
// bytes, as the CLI reads a file) or exchanges (structured).
type lineInput struct {
	// id is the line's "id", compact JSON, echoed in its answer; nil when absent.
	id        []byte
	name      string
	capture   []byte
	isCapture bool
	exchanges []analyzer.Exchange
}

// wireLine is a line as JSON (docs: stream.go's usage): a capture, one
// exchange (its request, response and time at the top level) or several.
type wireLine struct {
	ID            json.RawMessage `json:"id"`
	Name          *string         `json:"name"`
	Capture       json.RawMessage `json:"capture"`
	CaptureBase64 *string         `json:"capture_base64"`
	wireExchange
	Exchanges []wireExchange `json:"exchanges"`
}

type wireExchange struct {
	Request  *wireRequest  `json:"request"`
	Response *wireResponse `json:"response"`
	Time     *string       `json:"time"`
}

type wireRequest struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	wireMessage
}

type wireResponse struct {
	Status int    `json:"status"`
	Reason string `json:"reason"`
	wireMessage
	BodyTruncated bool `json:"body_truncated"`
}

// wireMessage is what a request and a response both carry.
type wireMessage struct {
	HTTPVersion string      `json:"http_version"`
	Headers     []wireField `json:"headers"`
	Body        *string     `json:"body"`
	BodyBase64  *string     `json:"body_base64"`
}

// wireField is one header field: ["name", "value"] or {"name": …, "value": …}.
type wireField analyzer.Header

var errField = errors.New(`a header is ["name", "value"] or {"name": "…", "value": "…"}`)

func (f *wireField) UnmarshalJSON(b []byte) error {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) > 0 && b[0] == '[' {
		var pair []string
		if err := json.Unmarshal(b, &pair); err != nil || len(pair) != 2 {
			return errField
		}
		f.Name, f.Value = pair[0], pair[1]
		return nil
	}
	var obj struct {
		Name  *string `json:"name"`
		Value *string `json:"value"`
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&obj); err != nil || obj.Name == nil || obj.Value == nil {
		return errField
	}
	f.Name, f.Value = *obj.Name, *obj.Value
	return nil
}

// decodeLine reads one input line. The error says what is wrong in words
// a caller can act on; in.id is set whenever the line's id could be read,
// even with an error, so the error record carries it.
func decodeLine(line []byte) (in lineInput, err error) {
	var w wireLine
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	if err := d.Decode(&w); err != nil {
		return lineInput{id: leadingID(line)}, wireErr(err)
	}
	if d.More() {
		return lineInput{id: leadingID(line)}, errors.New("one JSON object per line: text follows the object")
	}
	if len(w.ID) > 0 {
		var c bytes.Buffer
		if json.Compact(&c, w.ID) == nil {
			in.id = c.Bytes()
		}
	}
	in.name = "-"
	if w.Name != nil {
		in.name = *w.Name
	}
	kinds := 0
	for _, set := range []bool{len(w.Capture) > 0, w.CaptureBase64 != nil, w.Request != nil || w.Response != nil, w.Exchanges != nil} {
		if set {
			kinds++
		}
	}
	switch {
	case kinds == 0:
		return in, errors.New(`a line is {"capture": "…"}, {"capture_base64": "…"}, {"request": {…}, "response": {…}} or {"exchanges": [{"request": …, "response": …}, …]}`)
	case kinds > 1:
		return in, errors.New("a line holds one of capture, capture_base64, request/response or exchanges, not several")
	}
	switch {
	case len(w.Capture) > 0:
		in.isCapture = true
		switch w.Capture[0] {
		case '"':
			var s string
			if err := json.Unmarshal(w.Capture, &s); err != nil {
				return in, wireErr(err)
			}
			in.capture = []byte(s)
		case '{':
			in.capture = w.Capture // a HAR, as JSON
		default:
			return in, errors.New("capture: a string (the pasted text), or a HAR as a JSON object")
		}
	case w.CaptureBase64 != nil:
		in.isCapture = true
		if in.capture, err = decodeBase64(*w.CaptureBase64); err != nil {
			return in, fmt.Errorf("capture_base64: %v", err)
		}
	case w.Exchanges != nil:
		if w.Time != nil {
			return in, errors.New(`time belongs to each exchange of "exchanges"`)
		}
		if len(w.Exchanges) == 0 {
			return in, errors.New("exchanges is empty")
		}
		in.exchanges = make([]analyzer.Exchange, len(w.Exchanges))
		for i := range w.Exchanges {
			x := &w.Exchanges[i]
			if in.exchanges[i], err = exchangeOf(x.Request, x.Response, x.Time); err != nil {
				return in, fmt.Errorf("exchanges[%d].%v", i, err)
			}
		}
	default:
		x, err := exchangeOf(w.Request, w.Response, w.Time)
		if err != nil {
			return in, err
		}
		in.exchanges = []analyzer.Exchange{x}
	}
	return in, nil
}

func exchangeOf(req *wireRequest, resp *wireResponse, t *string) (x analyzer.Exchange, err error) {
	if resp == nil {
		return x, errors.New("response is missing (a request alone has nothing to judge)")
	}
	if t != nil {
		if x.Time, err = time.Parse(time.RFC3339Nano, *t); err != nil {
			return x, fmt.Errorf("time %q: want RFC 3339, e.g. 2026-12-01T09:30:00Z", clipText(*t))
		}
	}
	if req != nil {
		r := &analyzer.Request{Method: req.Method, URL: req.URL, Proto: req.HTTPVersion, Header: headers(req.Headers)}
		if r.Body, err = req.body(); err != nil {
			return x, fmt.Errorf("request.%v", err)
		}
		x.Request = r
	}
	if resp.Status < 0 || resp.Status > 999 {
		return x, fmt.Errorf("response.status %d: want a status code (0 = no response arrived)", resp.Status)
	}
	x.Response = analyzer.Response{Status: resp.Status, Reason: resp.Reason, Proto: resp.HTTPVersion, Header: headers(resp.Headers), BodyTruncated: resp.BodyTruncated}
	if x.Response.Body, err = resp.body(); err != nil {
		return x, fmt.Errorf("response.%v", err)
	}
	return x, nil
}

func headers(fs []wireField) []analyzer.Header {
	out := make([]analyzer.Header, len(fs))
	for i, f := range fs {
		out[i] = analyzer.Header(f)
	}
	return out
}

func (m *wireMessage) body() ([]byte, error) {
	text, b64 := m.Body, m.BodyBase64
	switch {
	case text != nil && b64 != nil:
		return nil, errors.New("body and body_base64: one or the other")
	case text != nil:
		return []byte(*text), nil
	case b64 != nil:
		b, err := decodeBase64(*b64)
		if err != nil {
			return nil, fmt.Errorf("body_base64: %v", err)
		}
		return b, nil
	}
	return nil, nil
}

// decodeBase64 reads standard base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	enc := base64.StdEncoding
	if len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, errors.New("not standard base64")
	}
	return b, nil
}

var embedded = strings.NewReplacer("wireExchange.", "", "wireMessage.", "")

// wireErr words a JSON decoding error for the caller: the field and what
// was wanted, never the line's text (it may hold a secret).
func wireErr(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("not a JSON object: %v (at byte %d)", se, se.Offset)
	case errors.As(err, &te):
		// encoding/json names an embedded struct by its Go type in the path.
		where := embedded.Replace(te.Field)
		if where == "" {
			return fmt.Errorf("a line is one JSON object, not %s", te.Value)
		}
		return fmt.Errorf("%s: a JSON %s where %s was expected", where, te.Value, goTypeWord(te.Type.String()))
	case errors.Is(err, errField):
		return err
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		return fmt.Errorf("unknown field %s (docs: why401 stream --help)", strings.TrimPrefix(msg, "json: unknown field "))
	}
	if strings.Contains(msg, "unexpected EOF") || err.Error() == "EOF" {
		return errors.New("not a JSON object: the line ends inside it")
	}
	return errors.New(strings.TrimPrefix(msg, "json: "))
}

func goTypeWord(t string) string {
	switch {
	case t == "string" || t == "*string":
		return "a string"
	case t == "int":
		return "a number"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	}
	return "an object"
}

func clipText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// leadingID reads the "id" of a line that cannot be decoded whole (too
// long, or wrong further on) when it is the line's first key, as the
// Python package writes it: {"id": 7, …}. nil when it is not there.
func leadingID(prefix []byte) []byte {
	d := json.NewDecoder(bytes.NewReader(prefix))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	if t, err := d.Token(); err != nil || t != "id" {
		return nil
	}
	var v json.RawMessage
	if d.Decode(&v) != nil {
		return nil
	}
	var c bytes.Buffer
	if json.Compact(&c, v) != nil {
		return nil
	}
	return c.Bytes()
}
