package knowledge

import (
	_ "embed"
	"errors"
	"strconv"
	"sync"
)

// KindWords is an entry of kinds.json: how the one-sentence summary opens for
// a verdict, and how when the evidence is weak (confidence under 0.5).
type KindWords struct {
	ID       Kind   `json:"id"`
	Lead     string `json:"lead"`
	WeakLead string `json:"weak_lead,omitempty"`
}

//go:embed kinds.json
var kindsJSON []byte

// DecodeKinds decodes a kinds.json strictly.
func DecodeKinds(file string, data []byte) ([]KindWords, error) {
	var out []KindWords
	err := decodeKnowledge(file, data, &out)
	return out, err
}

var kinds = sync.OnceValues(func() (map[Kind]KindWords, error) {
	list, err := DecodeKinds("kinds.json", kindsJSON)
	if err != nil {
		return nil, err
	}
	out := map[Kind]KindWords{}
	for i, k := range list {
		if k.ID == "" || k.Lead == "" || out[k.ID].ID != "" {
			return nil, errors.New("analyzer: kinds.json entry " + strconv.Itoa(i) + ": a unique id and a lead are required")
		}
		out[k.ID] = k
	}
	for _, k := range []Kind{KindAuth, KindBot, KindRateLimit, KindProxyAuth, KindForbidden, KindOK, KindUnknown} {
		if out[k].ID == "" {
			return nil, errors.New("analyzer: kinds.json has no entry for " + string(k))
		}
	}
	return out, nil
})

// Lead is how the summary opens for a verdict of kind k: its weak lead when
// weak is set and the kind has one.
func Lead(k Kind, weak bool) string {
	m, err := kinds()
	if err != nil {
		return string(k)
	}
	if w := m[k].WeakLead; weak && w != "" {
		return w
	}
	return m[k].Lead
}

// Kinds returns kinds.json decoded, or its first error.
func Kinds() (map[Kind]KindWords, error) { return kinds() }
