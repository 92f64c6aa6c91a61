//go:build js && wasm && npm

package main

// The npm package's build (./build.sh npm: -tags npm) adds
//
//	why401.exchanges(hops, name) → Report JSON string of live exchanges
//	    (analyzer.AnalyzeExchanges), hops the first request first, each
//	    {method, url, httpVersion, requestHeaders: [[name, value]…],
//	     status, statusText, responseHeaders: [[name, value]…], body: Uint8Array|string|null,
//	     bodyTruncated}
//
// so its adapters hand responses over as structured data, with no capture
// format in between, and
//
//	why401.analyzeWith(input, {name, reports}) → analyze with at most
//	    reports exchanges listed (the page lists up to PageReports)
//	why401.beginWith({name, reports}) → begin, the same way
//
// so a Node caller's report (one string, parsed in JS) stays as small as it
// asks. The page reads captures only: it leaves this out.

import (
	"errors"
	"syscall/js"

	"why401/analyzer"
	"why401/internal/jsbytes"
)

func init() {
	extra["exchanges"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		return safe(func() string { return result(exchanges(args)) })
	})
	extra["analyzeWith"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		return safe(func() string {
			if len(args) == 0 {
				return errJSON(analyzer.ErrEmpty)
			}
			name, lim := options(args, 1)
			return result(analyzer.AnalyzeWith(jsbytes.Of(args[0]), analyzer.Options{Name: name, Limits: lim}))
		})
	})
	extra["beginWith"] = js.FuncOf(func(_ js.Value, args []js.Value) any {
		name, lim := options(args, 0)
		return beginWith(name, lim)
	})
}

// options reads {name, reports} from args[i]: the input's name, and at most
// reports exchanges listed (1 to PageReports; PageReports when unset).
func options(args []js.Value, i int) (string, analyzer.Limits) {
	lim := pageLimits
	if len(args) <= i || args[i].Type() != js.TypeObject {
		return "", lim
	}
	o := args[i]
	name := ""
	if n := o.Get("name"); n.Type() == js.TypeString {
		name = n.String()
	}
	if r := o.Get("reports"); r.Type() == js.TypeNumber {
		lim.Reports = min(max(r.Int(), 1), PageReports)
	}
	return name, lim
}

// maxHops bounds the exchanges one exchanges() call reads.
const maxHops = 64

// exchanges reads live exchanges from JS objects (see the package comment).
func exchanges(args []js.Value) (analyzer.Report, error) {
	if len(args) == 0 || args[0].Type() != js.TypeObject {
		return analyzer.Report{}, errors.New("why401: exchanges wants an array of exchanges")
	}
	hops := args[0]
	n := min(hops.Get("length").Int(), maxHops)
	xs := make([]analyzer.Exchange, 0, n)
	str := func(v js.Value, k string) string {
		if f := v.Get(k); f.Type() == js.TypeString {
			return f.String()
		}
		return ""
	}
	for i := 0; i < n; i++ {
		h := hops.Index(i)
		if h.Type() != js.TypeObject {
			continue
		}
		x := analyzer.Exchange{
			Request: &analyzer.Request{Method: str(h, "method"), URL: str(h, "url"), Proto: str(h, "httpVersion"), Header: pairs(h.Get("requestHeaders"))},
			Response: analyzer.Response{Proto: str(h, "httpVersion"), Reason: str(h, "statusText"), Header: pairs(h.Get("responseHeaders")),
				BodyTruncated: h.Get("bodyTruncated").Truthy()},
		}
		if st := h.Get("status"); st.Type() == js.TypeNumber {
			x.Response.Status = st.Int()
		}
		if b := h.Get("body"); b.Type() == js.TypeString || b.Type() == js.TypeObject && b.Get("length").Type() == js.TypeNumber {
			x.Response.Body = jsbytes.OfAtMost(b, analyzer.DefaultLimits().BodyBytes)
		}
		xs = append(xs, x)
	}
	return analyzer.AnalyzeExchanges(xs, analyzer.Options{Name: nameOf(args, 1), Limits: pageLimits})
}

// pairs reads [[name, value]…] (or [{name, value}…]), at most as many as
// the limits keep.
func pairs(v js.Value) []analyzer.Header {
	if v.Type() != js.TypeObject || v.Get("length").Type() != js.TypeNumber {
		return nil
	}
	n := min(v.Get("length").Int(), analyzer.DefaultLimits().HeaderFields+1)
	out := make([]analyzer.Header, 0, n)
	for i := 0; i < n; i++ {
		p := v.Index(i)
		if p.Type() != js.TypeObject {
			continue
		}
		var name, value js.Value
		if p.Get("length").Type() == js.TypeNumber {
			name, value = p.Index(0), p.Index(1)
		} else {
			name, value = p.Get("name"), p.Get("value")
		}
		if name.Type() == js.TypeString && value.Type() == js.TypeString {
			out = append(out, analyzer.Header{Name: name.String(), Value: value.String()})
		}
	}
	return out
}
