package knowledge

import (
	_ "embed"
	"errors"
	"strconv"
)

// KindWords is an entry of kinds.json: how the one-sentence summary opens for
// a verdict, and how when the evidence is weak (confidence under 0.5).
type KindWords struct {
	ID       Kind   `json:"id"`
	Lead     string `json:"lead"`
	WeakLead string `json:"weak_lead,omitempty"`
	// Meaning is what the verdict means, for the docs and the generated
	// constants (internal/cmd/vocabgen).
	Meaning string `json:"meaning"`
	// Action is what a client does about this verdict (an id of
	// actions.json), unless CauseActions names another for the cause.
	Action       string            `json:"action"`
	CauseActions map[string]string `json:"cause_actions,omitempty"`
}

//go:embed kinds.json
var kindsJSON []byte

// DecodeKinds decodes a kinds.json strictly.
func DecodeKinds(file string, data []byte) ([]KindWords, error) {
	var out []KindWords
	err := decodeKnowledge(file, data, &out)
	return out, err
}

var kinds = loader(func() (map[Kind]KindWords, error) {
	var list []KindWords
	if err := load("kinds.json", kindsJSON, &list); err != nil {
		return nil, err
	}
	acts, err := actions()
	if err != nil {
		return nil, err
	}
	isAction := map[string]bool{}
	for _, a := range acts {
		isAction[a.ID] = true
	}
	out := map[Kind]KindWords{}
	for i, k := range list {
		if k.ID == "" || k.Lead == "" || k.Meaning == "" || out[k.ID].ID != "" {
			return nil, errors.New("analyzer: kinds.json entry " + strconv.Itoa(i) + ": a unique id, a lead and a meaning are required")
		}
		if !isAction[k.Action] {
			return nil, errors.New("analyzer: kinds.json entry " + strconv.Itoa(i) + ": action " + strconv.Quote(k.Action) + " is not in actions.json")
		}
		for c, a := range k.CauseActions {
			if CauseByID(c) == nil || !isAction[a] {
				return nil, errors.New("analyzer: kinds.json entry " + strconv.Itoa(i) + ": cause_actions " + strconv.Quote(c) + ": " + strconv.Quote(a) + " names an unknown cause or action")
			}
		}
		out[k.ID] = k
	}
	for _, k := range allKinds {
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

// KindList returns kinds.json's entries in the file's order.
func KindList() ([]KindWords, error) { return DecodeKinds("kinds.json", kindsJSON) }

// ActionFor is what a client does about a verdict of kind k with cause c
// (kinds.json: the kind's action, or its cause_actions entry for c); "none"
// when the knowledge files are broken.
func ActionFor(k Kind, cause string) string {
	m, err := kinds()
	if err != nil {
		return "none"
	}
	kw, ok := m[k]
	if !ok {
		return "none"
	}
	if a, ok := kw.CauseActions[cause]; ok {
		return a
	}
	return kw.Action
}

// Action is an entry of actions.json: what a client does about a response.
type Action struct {
	ID      string `json:"id"`
	Meaning string `json:"meaning"`
}

//go:embed actions.json
var actionsJSON []byte

var actions = loader(func() ([]Action, error) {
	var out []Action
	if err := load("actions.json", actionsJSON, &out); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, a := range out {
		if a.ID == "" || a.Meaning == "" || seen[a.ID] {
			return nil, errors.New("analyzer: actions.json entry " + strconv.Itoa(i) + ": a unique id and a meaning are required")
		}
		seen[a.ID] = true
	}
	return out, nil
})

// Actions returns actions.json decoded, in the file's order, or its first error.
func Actions() ([]Action, error) { return actions() }
