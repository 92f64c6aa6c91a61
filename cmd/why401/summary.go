package main

import (
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"

	"why401/analyzer"
	"why401/internal/weburl"
)

// maxHosts bounds the hosts a tally names; the rest are counted together, so
// a crawl of a million hosts keeps a summary of bounded size.
const maxHosts = 1000

// tally counts exchanges across inputs by verdict, vendor, cause and host.
// It holds counters only, never an exchange.
type tally struct {
	Inputs     int            `json:"inputs"`
	Errors     int            `json:"errors"`
	Exchanges  int            `json:"exchanges"`
	Verdicts   map[string]int `json:"verdicts"`
	Vendors    map[string]int `json:"vendors"`
	Causes     map[string]int `json:"causes"`
	Hosts      map[string]int `json:"hosts"`
	OtherHosts int            `json:"other_hosts"`
}

func newTally() *tally {
	return &tally{Verdicts: map[string]int{}, Vendors: map[string]int{}, Causes: map[string]int{}, Hosts: map[string]int{}}
}

func (t *tally) add(e *analyzer.ExchangeReport) {
	t.Exchanges++
	t.Verdicts[string(e.Verdict)]++
	if e.Vendor != "" {
		t.Vendors[string(e.Vendor)]++
	}
	if e.Cause != "" {
		t.Causes[string(e.Cause)]++
	}
	t.addHost(hostOf(e.URL), 1)
}

func (t *tally) addHost(h string, n int) {
	if h == "" {
		h = "(no request)"
	}
	if _, ok := t.Hosts[h]; ok || len(t.Hosts) < maxHosts {
		t.Hosts[h] += n
	} else {
		t.OtherHosts += n
	}
}

func (t *tally) merge(o *tally) {
	t.Inputs += o.Inputs
	t.Errors += o.Errors
	t.Exchanges += o.Exchanges
	for k, v := range o.Verdicts {
		t.Verdicts[k] += v
	}
	for k, v := range o.Vendors {
		t.Vendors[k] += v
	}
	for k, v := range o.Causes {
		t.Causes[k] += v
	}
	for _, k := range sortedKeys(o.Hosts) {
		t.addHost(k, o.Hosts[k])
	}
	t.OtherHosts += o.OtherHosts
}

// hostOf is the host of a report URL, lower-cased, without port or user;
// a CONNECT's authority ("api.example.com:443") is its host too.
func hostOf(u string) string { return weburl.Host(u) }

// byCount lists a map's keys by count, highest first, then by name.
func byCount(m map[string]int) []string {
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	return keys
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// counts is "bot 12, ok 3", at most limit names then "… N more".
func counts(m map[string]int, limit int) string {
	keys := byCount(m)
	var parts []string
	for i, k := range keys {
		if i == limit {
			parts = append(parts, "… "+strconv.Itoa(len(keys)-limit)+" more")
			break
		}
		parts = append(parts, k+" "+strconv.Itoa(m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func (t *tally) lines() []string {
	head := strconv.Itoa(t.Exchanges) + " exchange" + plural(t.Exchanges) + " in " + strconv.Itoa(t.Inputs) + " input" + plural(t.Inputs)
	if t.Errors > 0 {
		head += "; " + strconv.Itoa(t.Errors) + " input" + plural(t.Errors) + " could not be read"
	}
	hosts := counts(t.Hosts, 10)
	if t.OtherHosts > 0 {
		hosts += "; " + strconv.Itoa(t.OtherHosts) + " more on other hosts"
	}
	// Hosts come from the captures: their control and bidi characters shown escaped.
	return []string{head,
		"verdicts: " + analyzer.Printable(counts(t.Verdicts, 10)),
		"vendors: " + analyzer.Printable(counts(t.Vendors, 10)),
		"causes: " + analyzer.Printable(counts(t.Causes, 10)),
		"hosts: " + analyzer.Printable(hosts)}
}

func (t *tally) writeText(w io.Writer, bold func(string) string) error {
	var b strings.Builder
	b.WriteString("\n" + bold("summary of the run") + "\n")
	for _, l := range t.lines() {
		b.WriteString("  " + l + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (t *tally) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("\n## Summary of the run\n\n")
	for _, l := range t.lines() {
		b.WriteString("- " + mdPlain(l) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeJSON writes the run summary as the last JSON Lines record:
// {"schema_version":1,"totals":{…}} (docs/report.md).
func (t *tally) writeJSON(w io.Writer) error {
	b, err := json.Marshal(struct {
		SchemaVersion int    `json:"schema_version"`
		Totals        *tally `json:"totals"`
	}{analyzer.SchemaVersion, t})
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// mdPlain escapes the Markdown characters host names and labels can hold.
func mdPlain(s string) string {
	return strings.NewReplacer("\\", "\\\\", "_", "\\_", "*", "\\*", "<", "&lt;", "[", "\\[", "]", "\\]", "`", "\\`").Replace(analyzer.Printable(s))
}
