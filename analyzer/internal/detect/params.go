package detect

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

// apiParams reads an API file's parameter rules (apis/README.md,
// "Parameters") on an exchange: the values of the request and the response
// its fixes may quote ({{repository}}, {{service}}, {{sas_expiry}}…) instead
// of a placeholder. A value that looks like a secret, or holds one the
// request sent, is never set: a fix quotes identifiers, never credentials.
func apiParams(f *knowledge.APIFile, ex *capture.Exchange) map[string]string {
	if len(f.Params) == 0 {
		return nil
	}
	out := map[string]string{}
	var secrets *Secrets
	safe := func(v string) bool {
		if v == "" || MaskValueShapes(v) != v {
			return false
		}
		if secrets == nil {
			secrets = CollectSecrets(ex)
		}
		for _, s := range secrets.list {
			if strings.Contains(v, s) {
				return false
			}
		}
		return true
	}
	id := false // the rule reads an identifier (ParamRule.ID)
	set := func(name, v string, keep bool) {
		v = capture.Clip(cleanValue(v), 300)
		if name == "" || keep && out[name] != "" {
			return
		}
		if id {
			// An id is shown even when random-shaped: not a key or a JWT,
			// nor a secret the request sent.
			if v == "" || capture.MaskTokenShapes(v) != v {
				return
			}
			if secrets == nil {
				secrets = CollectSecrets(ex)
			}
			if slices.ContainsFunc(secrets.list, func(s string) bool { return strings.Contains(v, s) }) {
				return
			}
		} else if !safe(v) {
			return
		}
		out[name] = v
	}
	for i := range f.Params {
		r := &f.Params[i]
		if len(r.Between) == 2 {
			a, okA := parseTime(out[r.Between[0]])
			b, okB := parseTime(out[r.Between[1]])
			if !okA || !okB || r.Keep && out[r.Name] != "" {
				continue
			}
			d, dir := b.Sub(a), "before"
			if d < 0 {
				d, dir = -d, "after"
			}
			out[r.Name], out[r.Name+"_dir"] = HumanSeconds(d.Seconds()), dir
			continue
		}
		if pair := append(r.Differ, r.Same...); len(pair) == 2 {
			a, b := out[pair[0]], out[pair[1]]
			if a != "" && b != "" && (a != b) == (len(r.Differ) == 2) {
				out[r.Name] = "yes"
			}
			continue
		}
		if len(r.Ratio) == 2 {
			if x, ok := ratio(out, r); ok && (!r.Keep || out[r.Name] == "") {
				out[r.Name] = x
			}
			continue
		}
		v, ok := paramSource(ex, r.From)
		if !ok || v == "" {
			continue
		}
		id = r.ID
		if r.Next != "" {
			if t, ok := parseTime(v); ok && r.Name != "" && (!r.Keep || out[r.Name] == "") {
				b := nextBoundary(t.UTC(), r.Next)
				out[r.Name] = b.Format("2006-01-02 15:04:05") + " UTC"
				out[r.Name+"_in"] = HumanSeconds(b.Sub(t).Seconds())
			}
			continue
		}
		if re := r.UnlessRe(); re != nil && re.MatchString(v) {
			continue
		}
		groups := map[string]string{}
		if re := r.Re(); re != nil {
			m := re.FindStringSubmatch(v)
			if m == nil {
				continue
			}
			named := false
			for j, n := range re.SubexpNames() {
				if n != "" {
					named = true
					if m[j] != "" {
						groups[n] = m[j]
					}
				}
			}
			switch {
			case named:
			case len(m) > 1:
				v = m[1]
			default:
				v = m[0]
			}
			for n, g := range groups {
				set(n, g, r.Keep)
			}
			if named {
				v = ""
			}
		}
		if r.Value != "" {
			all := map[string]string{}
			for k, x := range out {
				all[k] = x
			}
			for k, x := range groups {
				all[k] = x
			}
			t, ok := knowledge.Fill(r.Value, all)
			if !ok {
				continue
			}
			v = t
		}
		if r.Name != "" && v != "" {
			set(r.Name, v, r.Keep)
		}
	}
	return out
}

// paramSource reads what a parameter rule's From names; false when the
// exchange does not have it.
func paramSource(ex *capture.Exchange, from string) (string, bool) {
	req, resp := ex.Request, &ex.Response
	switch from {
	case "request.host":
		if req == nil {
			return "", false
		}
		return requestAuthority(req), true
	case "request.origin":
		if req == nil || !weburl.IsAbsolute(req.URL) {
			return "", false
		}
		return weburl.Origin(req.URL), true
	case "request.path":
		if req == nil {
			return "", false
		}
		return weburl.Path(req.URL), true
	case "request.url":
		if req == nil || !weburl.IsAbsolute(req.URL) || MaskURL(req.URL) != req.URL {
			return "", false
		}
		return req.URL, true
	case "request.method":
		if req == nil {
			return "", false
		}
		return req.Method, true
	case "response.date":
		if d, ok := ResponseDate(resp); ok {
			return capture.FormatRFC3339(d), true
		}
		return "", false
	}
	switch {
	case strings.HasPrefix(from, "request.query."):
		if req == nil {
			return "", false
		}
		return queryParam(req.URL, from[len("request.query."):])
	case strings.HasPrefix(from, "request.form."):
		if req == nil {
			return "", false
		}
		return formParam(req, from[len("request.form."):])
	case strings.HasPrefix(from, "request.header."):
		if req == nil || !req.Has(from[len("request.header."):]) {
			return "", false
		}
		return req.Get(from[len("request.header."):]), true
	case strings.HasPrefix(from, "request.jwt."):
		for _, c := range credentialsOf(ex) {
			if c.Where == "Authorization" && c.Kind == "jwt" {
				if _, claims, ok := JWTClaims(c.Raw); ok {
					return gjsonText(gjson.GetBytes(claims, from[len("request.jwt."):]))
				}
			}
		}
		return "", false
	case strings.HasPrefix(from, "response.header."):
		if !resp.Has(from[len("response.header."):]) {
			return "", false
		}
		return resp.Get(from[len("response.header."):]), true
	case strings.HasPrefix(from, "body."):
		b := bytes.TrimSpace(resp.Body)
		if len(b) == 0 || b[0] != '{' && b[0] != '[' || !capture.ValidJSON(b) {
			return "", false
		}
		return gjsonText(gjson.GetBytes(b, from[len("body."):]))
	case strings.HasPrefix(from, "xml."):
		return xmlText(resp.Body, from[len("xml."):])
	}
	return "", false
}

// gjsonText is a JSON value as a fix quotes it: a string as is, an array
// of strings joined with ", ", anything else as its JSON text.
func gjsonText(r gjson.Result) (string, bool) {
	if !r.Exists() || r.Type == gjson.Null {
		return "", false
	}
	if r.IsArray() {
		var parts []string
		all := true
		r.ForEach(func(_, v gjson.Result) bool {
			if v.Type != gjson.String {
				all = false
				return false
			}
			parts = append(parts, v.String())
			return true
		})
		if all {
			return strings.Join(parts, ", "), len(parts) > 0
		}
		return r.Raw, true
	}
	if r.Type == gjson.JSON {
		return r.Raw, true
	}
	return r.String(), true
}

// requestAuthority is the request's host with its port, lower-cased,
// without userinfo ("10.0.0.1:6443").
func requestAuthority(req *capture.Message) string {
	a := ""
	if _, authority, _, ok := weburl.Split(req.URL); ok {
		a = authority
	} else {
		a = req.Get("Host")
	}
	return ascii.Lower(strings.TrimSpace(weburl.HostPort(a)))
}

// queryParam is the first value of a query parameter, percent-decoded.
func queryParam(u, name string) (string, bool) {
	return formValue(weburl.Query(u), name)
}

// formValue reads name from an application/x-www-form-urlencoded string.
func formValue(s, name string) (string, bool) {
	for p := range weburl.Pairs(s) {
		if p.Key() == name {
			return p.Value(), true
		}
	}
	return "", false
}

// formParam reads a field of the request body: a form (k=v&…) or a JSON
// object's top-level key.
func formParam(req *capture.Message, name string) (string, bool) {
	b := bytes.TrimSpace(req.Body)
	if len(b) == 0 {
		return "", false
	}
	if b[0] == '{' {
		if !capture.ValidJSON(b) {
			return "", false
		}
		return gjsonText(gjson.GetBytes(b, gjsonEscape(name)))
	}
	if bytes.ContainsAny(b, "\n\r") && !bytes.Contains(b, []byte("=")) {
		return "", false
	}
	return formValue(string(b), name)
}

// gjsonEscape makes a key a literal gjson path.
func gjsonEscape(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		if strings.IndexByte(".*?|#@\\!=<>%", k[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(k[i])
	}
	return b.String()
}

// xmlText is the text of the first <name>…</name> of an XML body.
func xmlText(body []byte, name string) (string, bool) {
	i := bytes.Index(body, []byte("<"+name+">"))
	if i < 0 {
		return "", false
	}
	rest := body[i+len(name)+2:]
	j := bytes.Index(rest, []byte("</"))
	if j < 0 {
		return "", false
	}
	return capture.UnescapeEntities(string(rest[:j])), true
}

// cleanValue keeps a value on one line: control characters out, white
// space collapsed.
func cleanValue(v string) string {
	return strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ' ' }), " ")
}

// parseTime reads the time forms servers and signatures write: RFC 3339
// (with or without fractions), SigV4's 20060102T150405Z, and HTTP dates.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "20060102T150405Z", "2006-01-02T15:04Z"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return capture.ParseHTTPDate(s)
}

// nextBoundary is the first boundary after t (UTC) of a quota window
// (ParamRule.Next): the next minute, the next 00:00 UTC, or the next
// midnight Pacific Time (Google's daily quota reset), in UTC.
func nextBoundary(t time.Time, next string) time.Time {
	switch next {
	case "minute":
		return t.Truncate(time.Minute).Add(time.Minute)
	case "utc-day":
		return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC)
	}
	// Pacific Time without the tz database (the page's wasm carries none):
	// UTC-7 from the second Sunday of March, 02:00 local, to the first
	// Sunday of November, 02:00 local (US rules since 2007); else UTC-8.
	off := pacificOffset(t)
	local := t.Add(off)
	midnight := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, time.UTC)
	return midnight.Add(-pacificOffset(midnight.Add(8 * time.Hour)))
}

// pacificOffset is Pacific Time's offset from UTC at t (UTC).
func pacificOffset(t time.Time) time.Duration {
	y := t.Year()
	sunday := func(m time.Month, n int) time.Time { // the nth Sunday of m
		d := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		d = d.AddDate(0, 0, (7-int(d.Weekday()))%7)
		return d.AddDate(0, 0, 7*(n-1))
	}
	start := sunday(time.March, 2).Add(10 * time.Hour) // 02:00 PST = 10:00 UTC
	end := sunday(time.November, 1).Add(9 * time.Hour) // 02:00 PDT = 09:00 UTC
	if !t.Before(start) && t.Before(end) {
		return -7 * time.Hour
	}
	return -8 * time.Hour
}

// ratio is ParamRule.Ratio's value: (num − less) / den × scale of the
// parameters so far, to a tenth; false when one is missing or not a
// number, or the result is not a positive finite number.
func ratio(out map[string]string, r *knowledge.ParamRule) (string, bool) {
	num, err := strconv.ParseFloat(out[r.Ratio[0]], 64)
	den, err2 := strconv.ParseFloat(out[r.Ratio[1]], 64)
	if err != nil || err2 != nil || !(den > 0) {
		return "", false
	}
	if r.Less != "" {
		less, err := strconv.ParseFloat(out[r.Less], 64)
		if err != nil {
			return "", false
		}
		num -= less
	}
	if r.Scale != 0 {
		num *= r.Scale
	}
	x := math.Round(num/den*10) / 10
	if !(x > 0) || math.IsInf(x, 0) {
		return "", false
	}
	return strconv.FormatFloat(x, 'f', -1, 64), true
}
