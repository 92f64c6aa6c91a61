package knowledge

import (
	_ "embed"
	"errors"
	"slices"
	"sort"
	"strconv"
)

// Cause is an entry of causes.json: one value of the report's cause
// vocabulary (docs/report.md), what the one-sentence summary says for it, and
// its priority when several signals of the winning kind name a cause.
type Cause struct {
	ID string `json:"id"`
	// Priority orders causes, 1 first: protocol steps, then the most
	// specific diagnosis (auth.md §6).
	Priority int `json:"priority"`
	// Verdicts are the verdicts this cause can refine (kinds.json ids): a
	// report whose cause is not one of its verdict's is a contradiction.
	Verdicts []Kind `json:"verdicts"`
	// Lead, when set, opens the summary instead of the verdict's lead: the
	// first leg of a handshake is not a "genuine authentication failure".
	Lead string `json:"lead,omitempty"`
	// Wording completes the summary's lead: "Genuine authentication failure: <wording>."
	Wording string `json:"wording"`
	// Generic causes say no more than "rejected" or "absent": a suspicion
	// read from the request may be more specific.
	Generic bool `json:"generic,omitempty"`
}

//go:embed causes.json
var causesJSON []byte

// Causes returns causes.json decoded, by priority, or its first error.
func Causes() ([]Cause, error) { return causes() }

// CauseByID returns the cause with that id, or nil when it is not one of the vocabulary.
func CauseByID(id string) *Cause {
	list, err := causes()
	if err != nil {
		return nil
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i]
		}
	}
	return nil
}

var causes = loader(func() ([]Cause, error) {
	var out []Cause
	if err := load("causes.json", causesJSON, &out); err != nil {
		return nil, err
	}
	ids, prios := map[string]bool{}, map[int]bool{}
	for i, c := range out {
		if c.ID == "" || c.Wording == "" || c.Priority <= 0 || ids[c.ID] || prios[c.Priority] || len(c.Verdicts) == 0 {
			return nil, errors.New("analyzer: causes.json entry " + strconv.Itoa(i) + ": id, wording, verdicts and a priority of its own are required")
		}
		for _, v := range c.Verdicts {
			if !slices.Contains(allKinds, v) {
				return nil, errors.New("analyzer: causes.json entry " + strconv.Itoa(i) + ": verdict " + strconv.Quote(string(v)) + " is not a verdict")
			}
		}
		ids[c.ID], prios[c.Priority] = true, true
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Priority < out[j].Priority })
	return out, nil
})
