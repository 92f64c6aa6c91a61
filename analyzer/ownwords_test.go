package analyzer

import (
	"bytes"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
)

// The own-words check (issue 28): on every refusal of the fixtures that
// carries them, the report quotes the server's request or trace id and its
// own error message. The oracle here is written apart from the detectors
// (said.json, said.go): broad patterns of where servers put ids and
// messages, so a path the knowledge file misses shows up as a miss.

// idHeader: a response header that holds a request, trace or incident id.
var idHeader = regexp.MustCompile(`(?i)^(x-)?(amzn-)?(request[-_]?id|req[-_]id|trace[-_]?id|correlation[-_]?id|amz-request-id|amz-id-2|github-request-id|ms-request-id|apim-request-id|audit-id|slack-req-id|okta-request-id|cf-ray)$`)

// idJSON: a JSON key of a body that holds an id.
var idJSON = regexp.MustCompile(`(?i)^(request_?id|trace_?id|correlation_?id)$`)

// messageKeys: where a JSON error body says what went wrong.
var messageKeys = []string{"error_description", "error.message", "errors.0.message", "detail", "message", "error.error_description", "errorSummary", "Message", "msg", "error_message", "errorMessage"}

type ownWords struct {
	ids     []string // the ids the response carries
	message string   // the message it carries, "" when none
	decoded string   // the message decoded as a person reads it
}

// oracle reads what the response carries, independently of the analyzer.
func oracle(ex *capture.Exchange) ownWords {
	var w ownWords
	resp := &ex.Response
	for _, f := range resp.Fields {
		v := strings.TrimSpace(f.Value)
		if idHeader.MatchString(f.Name) && len(v) >= 4 && !strings.ContainsAny(v, " {") {
			w.ids = append(w.ids, v)
		}
	}
	body := bytes.TrimSpace(resp.Body)
	switch {
	case len(body) > 0 && body[0] == '{' && gjson.ValidBytes(body):
		gjson.ParseBytes(body).ForEach(func(k, v gjson.Result) bool {
			if idJSON.MatchString(k.String()) && v.Type == gjson.String && len(v.String()) >= 4 {
				w.ids = append(w.ids, v.String())
			}
			return true
		})
		for _, k := range messageKeys {
			if r := gjson.GetBytes(body, k); r.Type == gjson.String && strings.Contains(strings.TrimSpace(r.String()), " ") {
				w.message = r.String()
				break
			}
		}
	case bytes.HasPrefix(body, []byte("<?xml")) || bytes.HasPrefix(body, []byte("<Error")):
		if m := regexp.MustCompile(`<Message>([^<]+)</Message>`).FindSubmatch(body); m != nil {
			w.message = string(m[1])
		}
		if m := regexp.MustCompile(`<RequestId>([^<]+)</RequestId>`).FindSubmatch(body); m != nil {
			w.ids = append(w.ids, string(m[1]))
		}
	}
	if m := regexp.MustCompile(`error_description="([^"]+)"`).FindStringSubmatch(resp.Get("WWW-Authenticate")); m != nil {
		w.message = m[1]
	}
	// A block page's own id: Ray ID, Reference #, incident and support ids.
	if m := regexp.MustCompile(`(?i)(?:Ray ID|Reference #|incident ID|support ID|Request ID)[:\s]*(?:<[^>]+>\s*)*([0-9A-Za-z.&#;-]{8,})`).FindSubmatch(body); m != nil && resp.Status >= 400 {
		w.ids = append(w.ids, strings.ReplaceAll(string(m[1]), "&#46;", "."))
	}
	// A short plain-text refusal is its own message.
	ct := strings.ToLower(resp.Get("Content-Type"))
	if w.message == "" && resp.Status >= 400 && len(body) > 0 && len(body) <= 300 && body[0] != '<' && body[0] != '{' && body[0] != '[' && !strings.Contains(ct, "html") {
		w.message = string(body)
	}
	w.decoded = strings.Join(strings.Fields(w.message), " ")
	return w
}

// firstWords is the start of a message a quote must hold (a long message
// may be cut, and servers append trace lines the report moves to the
// references).
func firstWords(s string) string {
	var words []string
	for _, w := range strings.Fields(s) {
		// Trace lines go to the references; a (redacted) key is shown as
		// its fingerprint.
		if w == "RequestId:" || strings.HasPrefix(w, "RequestId:") || w == "Trace" || strings.Contains(w, "*") {
			break
		}
		words = append(words, w)
	}
	s = strings.Join(words, " ")
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}

func TestOwnWordsQuoted(t *testing.T) {
	groups := caseFiles(t)
	var idsHad, idsQuoted, msgHad, msgQuoted int
	var missID, missMsg []string
	for _, dir := range slices.Sorted(maps.Keys(groups)) {
		for _, name := range groups[dir] {
			path := filepath.Join(dir, name)
			var pairs []struct {
				w  ownWords
				er ExchangeReport
			}
			_, err := analyzeReader(bytes.NewReader(mustRead(path)), Options{Name: name, keep: func(ex *capture.Exchange, er ExchangeReport) {
				if er.Verdict == KindOK || ex.Response.Status == 0 {
					return
				}
				pairs = append(pairs, struct {
					w  ownWords
					er ExchangeReport
				}{oracle(ex), er})
			}}, &capture.Warnings{})
			if err != nil {
				continue
			}
			for _, p := range pairs {
				where := fmt.Sprintf("%s #%d", path, p.er.Index)
				if len(p.w.ids) > 0 {
					idsHad++
					quoted := false
					for _, id := range p.w.ids {
						quoted = quoted || strings.Contains(p.er.Reference, id)
					}
					if quoted {
						idsQuoted++
					} else {
						missID = append(missID, where+": "+strings.Join(p.w.ids, ", "))
					}
				}
				if p.w.message != "" {
					msgHad++
					got := ""
					if p.er.Message != nil {
						got = p.er.Message.Text
					}
					if strings.Contains(got, firstWords(p.w.decoded)) {
						msgQuoted++
					} else {
						missMsg = append(missMsg, fmt.Sprintf("%s: %q (report: %q)", where, firstWords(p.w.decoded), got))
					}
				}
			}
		}
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }
	t.Logf("request/trace ids quoted: %d of %d refusals that carry one (%.1f %%)", idsQuoted, idsHad, pct(idsQuoted, idsHad))
	t.Logf("server messages quoted:   %d of %d refusals that carry one (%.1f %%)", msgQuoted, msgHad, pct(msgQuoted, msgHad))
	for _, m := range missID {
		t.Log("id not quoted:", m)
	}
	for _, m := range missMsg {
		t.Log("message not quoted:", m)
	}
	if pct(idsQuoted, idsHad) < 95 {
		t.Errorf("ids quoted on %.1f %% of refusals that carry one, want ≥ 95 %%", pct(idsQuoted, idsHad))
	}
	if pct(msgQuoted, msgHad) < 95 {
		t.Errorf("messages quoted on %.1f %% of refusals that carry one, want ≥ 95 %%", pct(msgQuoted, msgHad))
	}
}
