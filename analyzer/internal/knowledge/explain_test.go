package knowledge

import (
	"strings"
	"testing"
)

// TestMarkerExplainSaysWhatMatched: a marker's explain is printed as
// evidence beside the excerpt that matched, so it describes that one
// thing, never another form the same rule could have matched (third review
// m12: DataDome's HTML CAPTCHA page described as "also the JSON … answer to
// an XHR", though the capture had no JSON).
func TestMarkerExplainSaysWhatMatched(t *testing.T) {
	vs, err := Vendors()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		for _, r := range v.Rules {
			e := strings.ToLower(r.Explain)
			if strings.Contains(e, "(also ") || strings.Contains(e, "; also ") {
				t.Errorf("%s/%s: explain %q describes another form than the one matched", v.ID, r.ID, r.Explain)
			}
		}
	}
}
