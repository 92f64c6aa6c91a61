package detect

import (
	"strings"
	"testing"

	"why401/analyzer/internal/knowledge"
)

// TestEmbeddedKnowledgeLoads: every embedded knowledge file loads through
// the loader a run uses (vendors, API files, proxy providers, messages,
// said.json, words, causes, fixes, kinds, actions), every vendor passes
// compileVendors' checks, every pattern of every file compiles (at run time
// they compile on first use), and knowledge.Err, which every door reports,
// is nil.
func TestEmbeddedKnowledgeLoads(t *testing.T) {
	check := func(what string, err error) {
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	_, err := knowledge.Vendors()
	check("vendors", err)
	set, err := compiledVendors()
	check("vendor checks", err)
	for _, v := range set.list {
		for _, r := range append(append([]*cRule{}, v.headerRules...), v.bodyRules...) {
			check(v.File+" rule "+r.ID+" regex", r.re.Err())
			check(v.File+" rule "+r.ID+" name_regex", r.nameRe.Err())
		}
		for _, c := range v.refs {
			check(v.File+" reference "+c.Label, c.re.Err())
		}
	}
	apis, err := knowledge.APIs()
	check("apis", err)
	for _, f := range apis {
		for _, m := range f.Messages {
			check(f.File+" message "+m.ID, m.Pattern().Err())
		}
		for i := range f.Params {
			for _, p := range f.Params[i].Patterns() {
				check(f.File+" param "+f.Params[i].Name, p.Err())
			}
		}
	}
	providers, err := knowledge.ProxyProviders()
	check("proxy_providers.json", err)
	if len(providers) == 0 {
		t.Error("proxy_providers.json: no provider loaded")
	}
	msgs, err := knowledge.Messages()
	check("messages.json", err)
	for _, m := range msgs {
		check("messages.json "+m.ID, m.Pattern().Err())
	}
	_, err = knowledge.Said()
	check("said.json", err)
	_, err = knowledge.WordLists()
	check("words.json", err)
	check("words.json lists", knowledge.CheckWordLists())
	_, err = knowledge.Causes()
	check("causes.json", err)
	_, err = knowledge.GenericFixes()
	check("fixes.json", err)
	_, err = knowledge.Kinds()
	check("kinds.json", err)
	_, err = knowledge.Actions()
	check("actions.json", err)
	check("knowledge.Err", knowledge.Err())
}

// TestCompileVendorsLeavesOutOnlyTheBroken: a vendor file that fails the
// checks is left out, named with its rule; the others still compile (the
// whole set was dropped before).
func TestCompileVendorsLeavesOutOnlyTheBroken(t *testing.T) {
	files, err := knowledge.Vendors()
	if err != nil {
		t.Fatal(err)
	}
	bad := []knowledge.VendorFile{
		{File: "vendors/zz-lead.json", ID: "zz-lead", Rules: []knowledge.Rule{{ID: "r1", Role: "block", Part: "header", Name: "x", Lead: "L"}}},
		{File: "vendors/zz-ref.json", ID: "zz-ref", Reference: []knowledge.RefRule{{Label: "Ref", Part: "body"}}},
		{File: "vendors/zz-dup.json", ID: files[0].ID},
	}
	set, err := compileVendors(append(append([]knowledge.VendorFile{}, files...), bad...))
	if len(set.list) != len(files) {
		t.Errorf("%d vendors compiled, want the %d sound ones", len(set.list), len(files))
	}
	for _, want := range []string{"vendors/zz-lead.json rule r1: lead and lead_says", "vendors/zz-ref.json reference Ref: needs a regex", "vendors/zz-dup.json: duplicate id"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to name %q", err, want)
		}
	}
}
