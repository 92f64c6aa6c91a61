package detect_test

// The tests here need the verdict as well as the detectors' insides, so
// they are an external test package (export_test.go lends them the compiled
// rules): the mutation, twin, presence and every-rule-fires tests of the
// vendor files, run over the golden captures.

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer"
	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/cases"
	"why401/analyzer/internal/detect"
	"why401/analyzer/internal/knowledge"
	"why401/analyzer/internal/verdict"
)

const casesDir = "../../testdata/cases"

// botCase is one capture of testdata/cases/<group> with its expectation.
type botCase struct {
	dir, name string
	exp       cases.Expectation
}

func allCases(t *testing.T) []botCase {
	t.Helper()
	var out []botCase
	groups := cases.Files(t, casesDir)
	for _, dir := range slices.Sorted(maps.Keys(groups)) {
		if _, err := os.Stat(filepath.Join(dir, "expect.json")); err != nil {
			continue
		}
		exp := cases.LoadExpect(t, dir)
		names := append([]string(nil), groups[dir]...)
		sort.Strings(names)
		for _, n := range names {
			out = append(out, botCase{dir: dir, name: n, exp: exp[n]})
		}
	}
	return out
}

// caseSignals reads a text capture and returns its exchanges and, for the
// exchange the expectation is about, the signals the pipeline decides on
// (detect.Signals + the story, as the analyzer runs them). mutate, when set, edits that
// exchange before detection.
func caseSignals(t *testing.T, data []byte, index *int, mutate func(*capture.Exchange)) []detect.Signal {
	t.Helper()
	lim := capture.DefaultLimits()
	w := &capture.Warnings{}
	exs, _, err := capture.ParseText(data, lim, w)
	require.NoError(t, err)
	require.NotEmpty(t, exs)
	target := len(exs) - 1
	if index != nil {
		target = *index
	}
	st := detect.NewStory()
	var out []detect.Signal
	for i := range exs {
		ex := exs[i]
		if i == target && mutate != nil {
			mutate(&ex)
		}
		sig := detect.Signals(&ex, lim, w)
		sig = append(sig, observe(st, &ex, sig)...)
		if i == target {
			out = sig
		}
	}
	return out
}

// rawScore is the uncapped noisy-OR of the signals voting for k: the
// quantity Decide's confidence grows with, before rounding and the 0.99 cap.
func rawScore(sig []detect.Signal, k knowledge.Kind) float64 {
	p := 0.0
	for _, s := range sig {
		if s.Kind == k && s.Weight > 0 {
			p = 1 - (1-p)*(1-s.Weight)
		}
	}
	return p
}

// TestVendorMutation removes each decisive vendor signal of every bot
// fixture in turn — by deleting its evidence from the capture — and checks
// that the rule stops firing and that the verdict changes or its (uncapped)
// score drops. Then it removes every non-presence marker of the named vendor
// at once: what is left (presence, generic hints) must no longer name that
// vendor as the author of a block.
func TestVendorMutation(t *testing.T) {
	mutations := 0
	for _, c := range allCases(t) {
		if !cases.IsText(c.name) || c.exp.Verdict == nil || (*c.exp.Verdict != string(knowledge.KindBot) && *c.exp.Verdict != string(knowledge.KindRateLimit)) {
			continue
		}
		t.Run(filepath.Base(c.dir)+"/"+c.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(c.dir, c.name))
			require.NoError(t, err)
			base := caseSignals(t, data, c.exp.Index, nil)
			v := verdict.Decide(base)
			require.Equal(t, *c.exp.Verdict, string(v.Kind), "the test's pipeline disagrees with expect.json")
			score := rawScore(base, v.Kind)
			var vendorRules []*detect.CRule
			for _, s := range v.Decisive {
				r := detect.RuleOf(s.ID)
				if r == nil {
					// A generic status or body hint: remove the signal itself.
					var rest []detect.Signal
					for _, o := range base {
						if o.ID != s.ID {
							rest = append(rest, o)
						}
					}
					m := verdict.Decide(rest)
					assert.True(t, m.Kind != v.Kind || rawScore(rest, v.Kind) < score, "without %s: verdict and score unchanged", s.ID)
					continue
				}
				if s.Vendor == v.Vendor {
					vendorRules = append(vendorRules, r)
				}
				mutations++
				mut := caseSignals(t, data, c.exp.Index, func(ex *capture.Exchange) { detect.RemoveEvidence(r, ex) })
				for _, o := range mut {
					assert.NotEqual(t, s.ID, o.ID, "%s still fires after its evidence was removed: it matches something incidental", s.ID)
				}
				m := verdict.Decide(mut)
				ms := rawScore(mut, v.Kind)
				assert.True(t, m.Kind != v.Kind || ms < score-1e-9 || m.Confidence < v.Confidence,
					"removing %s changed nothing: verdict %s, score %.6f → %.6f", s.ID, m.Kind, score, ms)
			}
			if v.Vendor != "" {
				// Every marker of the vendor that fired, voting or not: another
				// kind's marker (Wordfence's block footer beside its rate
				// limit) or a widget a gate detector named (a CAPTCHA inside a
				// site's own gate page) names the vendor too.
				for _, o := range base {
					if r := detect.RuleOf(o.ID); r != nil && r.VendorID() == v.Vendor && r.Role != detect.RolePresence && !slices.Contains(vendorRules, r) {
						vendorRules = append(vendorRules, r)
					}
				}
				require.NotEmpty(t, vendorRules, "vendor %s named without a marker of its own", v.Vendor)
				remove := func(ex *capture.Exchange) {
					for _, r := range vendorRules {
						detect.RemoveEvidence(r, ex)
					}
				}
				mut := caseSignals(t, data, c.exp.Index, remove)
				// A fallback marker (a block page's generic title beside
				// its named reason) fires only once the specific ones are
				// gone: it is the vendor's marker too.
				for range 4 {
					more := false
					for _, o := range mut {
						if r := detect.RuleOf(o.ID); r != nil && r.VendorID() == v.Vendor && r.Role != detect.RolePresence && !slices.Contains(vendorRules, r) {
							vendorRules, more = append(vendorRules, r), true
						}
					}
					if !more {
						break
					}
					mut = caseSignals(t, data, c.exp.Index, remove)
				}
				m := verdict.Decide(mut)
				assert.False(t, (m.Kind == knowledge.KindBot || m.Kind == knowledge.KindRateLimit) && m.Vendor == v.Vendor,
					"with every %s block/challenge marker removed, the verdict is still %s by %s", v.Vendor, m.Kind, m.Vendor)
			}
		})
	}
	assert.Greater(t, mutations, 40)
	t.Logf("vendor-signal mutations: %d", mutations)
}

// TestVendorTwins: every vendor with a block, challenge, captcha or
// rate_limit rule has a bot fixture naming it and a presence twin; the twin
// is not judged bot, and (for CDN, WAF and bot-management vendors with
// presence markers) it really carries the vendor's presence markers.
func TestVendorTwins(t *testing.T) {
	vendors, err := knowledge.Vendors()
	require.NoError(t, err)
	dir := filepath.Join(casesDir, "bot")
	exp := cases.LoadExpect(t, dir)
	fixtures := map[string][]string{}
	twins := map[string][]string{}
	for name, e := range exp {
		if e.Vendor == nil || *e.Vendor == "" || e.Verdict == nil || (*e.Verdict != string(knowledge.KindBot) && *e.Verdict != string(knowledge.KindRateLimit)) {
			continue
		}
		fixtures[*e.Vendor] = append(fixtures[*e.Vendor], name)
		if e.Twin != "" {
			twins[*e.Vendor] = append(twins[*e.Vendor], e.Twin)
		}
	}
	for _, v := range vendors {
		voting, presence := false, false
		for _, r := range v.Rules {
			if r.Role == detect.RolePresence {
				presence = true
			} else {
				voting = true
			}
		}
		if !voting || v.Kind == "generic" {
			continue
		}
		assert.NotEmpty(t, fixtures[v.ID], "vendor %s has block/challenge rules but no bot fixture in %s", v.ID, dir)
		assert.NotEmpty(t, twins[v.ID], "vendor %s has no presence twin", v.ID)
		for _, twin := range twins[v.ID] {
			data, err := os.ReadFile(filepath.Join(dir, twin))
			if !assert.NoError(t, err) {
				continue
			}
			sig := caseSignals(t, data, nil, nil)
			assert.NotEqual(t, knowledge.KindBot, verdict.Decide(sig).Kind, "twin %s judged bot", twin)
			if presence && v.Kind != "captcha" {
				has := false
				for _, s := range sig {
					has = has || s.Vendor == v.ID && s.Role == detect.RolePresence
				}
				assert.True(t, has, "twin %s carries no presence marker of %s", twin, v.ID)
			}
		}
	}
}

// TestPresenceNeverBot: across every capture of every group, presence
// markers (plus everything that does not vote bot) never make a bot
// verdict, and a bot verdict that names a vendor shows one of that vendor's
// own block, challenge, captcha or rate-limit markers.
func TestPresenceNeverBot(t *testing.T) {
	for _, c := range allCases(t) {
		data, err := os.ReadFile(filepath.Join(c.dir, c.name))
		require.NoError(t, err)
		rep, err := analyzer.AnalyzeWith(data, analyzer.Options{Name: c.name})
		if err != nil {
			continue
		}
		for _, x := range rep.Exchanges {
			if (x.Verdict != analyzer.KindBot && x.Verdict != analyzer.KindRateLimit) || x.Vendor == "" {
				continue
			}
			own := false
			for _, ev := range x.Evidence {
				if r := detect.RuleOf(ev.Signal); r != nil && r.VendorID() == string(x.Vendor) && r.Role != detect.RolePresence && !strings.HasPrefix(ev.Text, "against: ") {
					own = true
				}
				// Or the story points at the earlier entry that showed the marker.
				own = own || ev.Entry != nil && *ev.Entry < x.Index
			}
			assert.True(t, own, "%s/%s: %s named %s without a marker of its own", c.dir, c.name, x.Verdict, x.Vendor)
		}
		if !cases.IsText(c.name) {
			continue
		}
		var presenceOnly []detect.Signal
		for _, s := range caseSignals(t, data, c.exp.Index, nil) {
			if s.Role == detect.RolePresence || s.Kind != knowledge.KindBot {
				presenceOnly = append(presenceOnly, s)
			}
		}
		assert.NotEqual(t, knowledge.KindBot, verdict.Decide(presenceOnly).Kind, "%s/%s: bot without a bot signal", c.dir, c.name)
	}
}

// TestEveryVendorRuleFires: each block, challenge, captcha and rate_limit
// rule fires in at least one fixture of testdata/cases/bot or real-proxy, so
// no marker is shipped untested (and the mutation test covers it), and each
// presence rule fires in some text fixture (testdata/cases/rules-presence
// holds a normal page for the markers no other fixture shows).
func TestEveryVendorRuleFires(t *testing.T) {
	vendors, err := knowledge.Vendors()
	require.NoError(t, err)
	fired, firedBot := map[string]bool{}, map[string]bool{}
	for _, c := range allCases(t) {
		if !cases.IsText(c.name) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(c.dir, c.name))
		require.NoError(t, err)
		bot := filepath.Base(c.dir) == "bot" || filepath.Base(c.dir) == "real-proxy"
		for _, s := range caseSignals(t, data, c.exp.Index, nil) {
			fired[s.ID] = true
			firedBot[s.ID] = firedBot[s.ID] || bot
		}
	}
	for _, v := range vendors {
		for _, r := range v.Rules {
			id := v.ID + "/" + r.ID
			if r.Role != detect.RolePresence {
				assert.True(t, firedBot[id], "rule %s (%s) fires in no bot fixture", id, r.Role)
			} else {
				assert.True(t, fired[id], "presence rule %s fires in no fixture (add a page to testdata/cases/rules-presence)", id)
			}
		}
	}
}

// observe is the story's part of conclude, for tests: the context signals
// for ex, then what ex teaches, judged on sig and those signals.
func observe(s *detect.Story, ex *capture.Exchange, sig []detect.Signal) []detect.Signal {
	out := s.Context(ex, sig)
	v := verdict.Decide(append(append([]detect.Signal{}, sig...), out...))
	s.Learn(ex, v.Kind, v.Cause, v.Vendor)
	return out
}
