package analyzer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// TestFixConditions (issue 28 §5): over every golden, no report carries a
// fix step whose condition (testdata/checks/fix-conditions.json) does not
// hold in the same exchange's evidence.
func TestFixConditions(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "checks", "fix-conditions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Conditions []struct {
			ID          string   `json:"id"`
			Verdicts    []string `json:"verdicts"`
			StepRegex   string   `json:"step_regex"`
			SignalRegex string   `json:"signal_regex"`
			Never       bool     `json:"never"`
		} `json:"conditions"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	goldens, err := filepath.Glob(filepath.Join("testdata", "cases", "*", "*.golden.json"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no goldens (%v)", err)
	}
	var rep struct {
		Exchanges []struct {
			Verdict  string `json:"verdict"`
			Evidence []struct {
				Signal string `json:"signal"`
			} `json:"evidence"`
			Fixes []struct {
				Steps []string `json:"steps"`
			} `json:"fixes"`
		} `json:"exchanges"`
	}
	checked := 0
	for _, c := range file.Conditions {
		step := regexp.MustCompile(c.StepRegex)
		var signal *regexp.Regexp
		if !c.Never {
			signal = regexp.MustCompile(c.SignalRegex)
		}
		for _, g := range goldens {
			b, err := os.ReadFile(g)
			if err != nil {
				t.Fatal(err)
			}
			rep.Exchanges = nil
			if err := json.Unmarshal(b, &rep); err != nil {
				continue // a golden of another shape (text, diff)
			}
			for i, ex := range rep.Exchanges {
				if !slices.Contains(c.Verdicts, ex.Verdict) {
					continue
				}
				for _, f := range ex.Fixes {
					for _, s := range f.Steps {
						if !step.MatchString(s) {
							continue
						}
						checked++
						holds := false
						if signal != nil {
							for _, e := range ex.Evidence {
								holds = holds || signal.MatchString(e.Signal)
							}
						}
						if !holds {
							t.Errorf("%s #%d: %s: step %q offered without its condition", g, i, c.ID, s)
						}
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no step matched any condition: the check checks nothing")
	}
}
