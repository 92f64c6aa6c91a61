package analyzer

import (
	"why401/analyzer/internal/knowledge"

	"why401/analyzer/internal/verdict"

	"why401/analyzer/internal/detect"

	"sort"
	"strconv"
	"strings"

	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
)

// summarizer builds Report.Summary from the exchanges as they are reported,
// in capture order. It counts and quotes what the earlier stages decided;
// it decides nothing, and it never changes an exchange's report. The hosts
// and the first block are the story's tally (detect.Story.Hosts, FirstBlock),
// counted there once.
type summarizer struct {
	vendors      map[string]bool
	firstFailure *FailureInfo
	mocked       int
	apiRequests  int
	clientErrors map[string]int
}

func newSummarizer() *summarizer {
	return &summarizer{vendors: map[string]bool{}, clientErrors: map[string]int{}}
}

// maxClientErrors bounds the distinct client errors the summary's caveats
// name (one line each); the rest are counted as "other errors".
const maxClientErrors = 20

// Add counts one exchange: own are its detectors' signals, ctx what the
// story said about it, v its verdict and r its report.
func (s *summarizer) Add(ex *capture.Exchange, own, ctx []detect.Signal, v verdict.Verdict, r *ExchangeReport) {
	st := ex.Response.Status
	if ex.Mocked {
		s.mocked++
	}
	if ex.APIRequest {
		s.apiRequests++
	}
	if ex.ClientError != "" && st == 0 {
		// The caveats name at most maxClientErrors distinct errors: a HAR
		// of distinct error strings must not grow the summary per entry.
		e := capture.Clip(ex.ClientError, 60)
		if _, ok := s.clientErrors[e]; !ok && len(s.clientErrors) >= maxClientErrors {
			e = "other errors"
		}
		s.clientErrors[e]++
	}
	block := v.Kind == knowledge.KindBot || v.Kind == knowledge.KindRateLimit
	for _, x := range own {
		if x.Vendor != "" && len(s.vendors) < 64 {
			s.vendors[x.Vendor] = true
		}
	}
	if v.Kind != knowledge.KindOK && v.Kind != knowledge.KindUnknown && s.firstFailure == nil {
		ff := &FailureInfo{Index: ex.Index, Verdict: r.Verdict, Cause: r.Cause, Summary: r.Summary}
		for _, x := range ctx {
			if x.ID == detect.SigBlockOnset && !block {
				continue // not shown: the exchange is no block
			}
			if x.Entry >= 0 && (x.Kind == v.Kind || x.Kind == "") {
				e := x.Entry
				ff.RootEntry = &e
				for _, ev := range r.Evidence {
					if ev.Entry != nil && *ev.Entry == e {
						ff.Root = ev.Text
						break
					}
				}
				break
			}
		}
		s.firstFailure = ff
	}
}

// Finish adds what can only be said once every exchange was seen: the
// warnings about a sanitized capture and, for multi-entry captures, the
// Summary. It leaves r.Exchanges as they were streamed.
func (s *summarizer) Finish(r *Report, st *detect.Story, w *capture.Warnings) {
	sanitized, ours := st.Sanitized(r.Input.Format, string(r.Input.Producer))
	switch sanitized {
	case "browser":
		w.Add("sanitized", "this HAR has no Cookie, Authorization or Set-Cookie header anywhere: it looks sanitized (Chrome 130+ and Edge strip them by default), so \"no credentials sent\" may be wrong. Re-export with \"Export HAR (with sensitive data)\"; why401 keeps it on your machine and shows only fingerprints.")
	case "third-party":
		w.Add("sanitized", "credentials in this capture were replaced by a sanitizer's placeholders (\"[REDACTED]\"), so whether valid credentials were sent is unknown. Analyse the original export instead (with sensitive data); why401 keeps it on your machine and shows only fingerprints.")
	}
	if ours {
		w.Add("why401-sanitized", "this capture was sanitized by why401 sanitize: secrets are placeholders that keep each secret's identity, so verdicts hold but values cannot be checked")
	}
	if r.Input.Format == "raw" || r.Input.Format == "curl" || r.Input.Format == "fetch" {
		return
	}
	sum := &Summary{Hosts: []HostSummary{}, Vendors: []string{}, FirstFailure: s.firstFailure, Sanitized: sanitized != "" || ours}
	for _, h := range st.Hosts() {
		sum.Hosts = append(sum.Hosts, HostSummary{Host: h.Host, Requests: h.Requests, Status: h.Status, Verdicts: h.Verdicts})
	}
	if fb := st.FirstBlock(); fb != nil {
		sum.FirstBlock = &BlockInfo{Index: fb.Index, Host: fb.Host, Vendor: fb.Vendor, Before: fb.Before}
		if !fb.At.IsZero() {
			sum.FirstBlock.Time = capture.FormatRFC3339(fb.At)
		}
	}
	for v := range s.vendors {
		sum.Vendors = append(sum.Vendors, v)
	}
	sort.Strings(sum.Vendors)
	if s.mocked > 0 {
		sum.Caveats = append(sum.Caveats, strconv.Itoa(s.mocked)+" response"+pluralWere(s.mocked)+" mocked by a Playwright route (_wasFulfilled): never sent to the server")
	}
	errs := make([]string, 0, len(s.clientErrors))
	for e := range s.clientErrors {
		errs = append(errs, e)
	}
	sort.Strings(errs)
	for _, e := range errs {
		why := "a network error or a cancelled request"
		switch {
		case strings.Contains(e, "BLOCKED_BY_CLIENT"):
			why = "a browser extension (ad or tracker blocker) cancelled it"
		case strings.Contains(e, "CORS") || strings.Contains(e, "ERR_FAILED") || strings.Contains(strings.ToLower(e), "cross-origin"):
			why = "CORS (a rejected preflight or a missing Access-Control-Allow-Origin) or a cancelled request"
		}
		sum.Caveats = append(sum.Caveats, strconv.Itoa(s.clientErrors[e])+" request"+plural(s.clientErrors[e])+" failed in the client with status 0 ("+e+"): "+why+", not a server answer")
	}
	if s.apiRequests > 0 {
		sum.Caveats = append(sum.Caveats, strconv.Itoa(s.apiRequests)+" request"+pluralWere(s.apiRequests)+" sent by Playwright's APIRequestContext (_apiRequest), not by the page: no browser headers or cookies are expected on them")
	}
	if ascii.EqualFold(string(r.Input.Producer), "insomnia") {
		sum.Caveats = append(sum.Caveats, "Insomnia leaves out the headers libcurl added (User-Agent, Accept-Encoding, Content-Length): the requests shown lack them")
	}
	if sanitized != "" {
		sum.Caveats = append(sum.Caveats, "sanitized capture: credentials unknown, not missing")
	}
	r.Summary = sum
}

func pluralWere(n int) string {
	if n == 1 {
		return " was"
	}
	return "s were"
}

// lines renders the summary for text and markdown.
func (s *Summary) lines() []string {
	var out []string
	if ff := s.FirstFailure; ff != nil {
		l := "first failure: #" + strconv.Itoa(ff.Index) + " " + string(ff.Verdict)
		if ff.Cause != "" {
			l += " (" + string(ff.Cause) + ")"
		}
		if ff.RootEntry != nil {
			l += "; root cause in entry #" + strconv.Itoa(*ff.RootEntry) + ": " + ff.Root
		}
		out = append(out, l)
	}
	if fb := s.FirstBlock; fb != nil {
		l := "first block: #" + strconv.Itoa(fb.Index) + " on " + fb.Host
		if fb.Vendor != "" {
			l += " by " + fb.Vendor
		}
		if fb.Time != "" {
			l += " at " + fb.Time
		}
		out = append(out, l+", after "+strconv.Itoa(fb.Before)+" request"+plural(fb.Before)+" to that host")
	}
	if len(s.Vendors) > 0 {
		out = append(out, "vendors seen: "+strings.Join(s.Vendors, ", "))
	}
	for i, h := range s.Hosts {
		if i == 20 {
			out = append(out, "… "+strconv.Itoa(len(s.Hosts)-20)+" more hosts")
			break
		}
		out = append(out, h.Host+": "+strconv.Itoa(h.Requests)+" request"+plural(h.Requests)+"; status "+countList(h.Status)+"; verdicts "+countList(h.Verdicts))
	}
	out = append(out, s.Caveats...)
	for i, l := range out {
		out[i] = Printable(l) // hosts, labels and roots come from the capture
	}
	return out
}

func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "×" + strconv.Itoa(m[k])
	}
	return strings.Join(parts, " ")
}
