package knowledge

import (
	_ "embed"
	"errors"
	"strconv"
	"strings"
)

// WordList is an entry of words.json: a list of words a detector looks for
// (in a body, a header, a User-Agent, a cookie name, a client error). A list
// holds either Words, or Groups whose words each lead to a value (a fix id,
// a scheme, a key kind). What each list is for and where its words come
// from is README.md's table (kept out of the file: the page's wasm embeds it).
type WordList struct {
	ID string `json:"id"`
	// Upper: the words are upper-case and matched against upper-cased text
	// (client error codes); otherwise they are lower-case and matched
	// against lowered text.
	Upper  bool        `json:"upper,omitempty"`
	Words  []string    `json:"words,omitempty"`
	Groups []WordGroup `json:"groups,omitempty"`
}

// WordGroup is words that lead to one value.
type WordGroup struct {
	Value string   `json:"value"`
	Words []string `json:"words"`
}

//go:embed words.json
var wordsJSON []byte

// DecodeWordLists decodes a words.json strictly.
func DecodeWordLists(file string, data []byte) ([]WordList, error) {
	var out []WordList
	err := decodeKnowledge(file, data, &out)
	return out, err
}

var wordLists = loader(func() (map[string]*WordList, error) {
	var list []WordList
	if err := load("words.json", wordsJSON, &list); err != nil {
		return nil, err
	}
	out := make(map[string]*WordList, len(list))
	for i := range list {
		// The rest of the format is CheckWordLists' (a test's: the file
		// is embedded, so a list that breaks it cannot ship).
		if out[list[i].ID] != nil || len(list[i].Words) == 0 && len(list[i].Groups) == 0 {
			return nil, errors.New("analyzer: words.json entry " + strconv.Itoa(i) + ": a unique id and words or groups are required")
		}
		out[list[i].ID] = &list[i]
	}
	return out, nil
})

// CheckWordLists checks every list of words.json against the format: a
// unique id, words or groups (not both), each word non-empty, in the list's
// case and listed once, each group with a value of its own.
func CheckWordLists() error {
	list, err := DecodeWordLists("words.json", wordsJSON)
	if err != nil {
		return err
	}
	seen := map[string]*WordList{}
	for i := range list {
		if err := checkWordList(&list[i], seen); err != nil {
			return errors.New("analyzer: words.json entry " + strconv.Itoa(i) + " (" + strconv.Quote(list[i].ID) + "): " + err.Error())
		}
		seen[list[i].ID] = &list[i]
	}
	return nil
}

func checkWordList(l *WordList, seen map[string]*WordList) error {
	switch {
	case l.ID == "" || seen[l.ID] != nil:
		return errors.New("a unique id is required")
	case (len(l.Words) == 0) == (len(l.Groups) == 0):
		return errors.New("words or groups are required, not both")
	}
	check := func(words []string) error {
		dup := map[string]bool{}
		for _, w := range words {
			want := strings.ToLower(w)
			if l.Upper {
				want = strings.ToUpper(w)
			}
			switch {
			case w == "" || w != strings.TrimSpace(w):
				return errors.New("empty word, or spaces around " + strconv.Quote(w))
			case w != want:
				return errors.New(strconv.Quote(w) + " is not in the list's case (upper: " + strconv.FormatBool(l.Upper) + ")")
			case dup[w]:
				return errors.New(strconv.Quote(w) + " is listed twice")
			}
			dup[w] = true
		}
		return nil
	}
	if err := check(l.Words); err != nil {
		return err
	}
	values := map[string]bool{}
	for _, g := range l.Groups {
		if g.Value == "" || values[g.Value] || len(g.Words) == 0 {
			return errors.New("each group needs a value of its own and words")
		}
		values[g.Value] = true
		if err := check(g.Words); err != nil {
			return err
		}
	}
	return nil
}

// WordLists returns words.json decoded, by id, or its first error. The lists
// are shared: read them, never change them.
func WordLists() (map[string]*WordList, error) { return wordLists() }

// WordListByID returns the list of words.json with that id, or an error
// naming the id when there is none, or when the list has words where groups
// are asked for (groups set) or groups where words are.
func WordListByID(id string, groups bool) (*WordList, error) {
	m, err := wordLists()
	if err != nil {
		return nil, err
	}
	l := m[id]
	switch {
	case l == nil:
		return nil, errors.New("analyzer: words.json has no list " + strconv.Quote(id))
	case groups != (len(l.Groups) > 0):
		return nil, errors.New("analyzer: words.json list " + strconv.Quote(id) + " has words where groups are asked for, or groups where words are")
	}
	return l, nil
}

// PublicIDPrefixesID and SecretCollectionsID are the words.json lists
// PublicID and SecretCollection read; IDHeadersID lists the response
// headers whose values are node, cache or request ids (detect.ShowHeaderValue).
const (
	PublicIDPrefixesID  = "public-id-prefixes"
	SecretCollectionsID = "secret-collections"
	IDHeadersID         = "id-headers"
)

// PublicID reports whether v has the shape of an identifier an API
// documents as an object's id and prints in its own messages (words.json
// public-id-prefixes: Stripe's acct_…, req_…; Airtable's app…, tbl… of
// exactly 17 characters): a prefix, then letters and digits only — eight
// or more, or the group's exact total length. A key-shaped prefix
// (sk_live_, rk_) is never listed: an id prefix has no second underscore.
func PublicID(v string) bool {
	if len(v) < 11 || len(v) > 64 {
		return false
	}
	wl, err := WordListByID(PublicIDPrefixesID, true) // a map look-up: the lists are loaded once
	if err != nil {
		return false
	}
	for _, g := range wl.Groups {
		n, _ := strconv.Atoi(g.Value) // "any": 0
		for _, p := range g.Words {
			rest, ok := strings.CutPrefix(v, p)
			if !ok || n > 0 && len(v) != n || len(rest) < 8 {
				continue
			}
			alnum := true
			for i := 0; i < len(rest) && alnum; i++ {
				c := rest[i]
				alnum = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
			}
			if alnum {
				return true
			}
		}
	}
	return false
}

// SecretCollection reports whether a URL path's collection name (the
// segment before an id, lowered) holds secrets rather than objects
// (words.json secret-collections: keys, tokens, hooks, invites…): the
// segment after it is not shown whole even when it is shaped like an id.
func SecretCollection(name string) bool {
	wl, err := WordListByID(SecretCollectionsID, false)
	if err != nil {
		return true
	}
	for _, w := range wl.Words {
		if w == name {
			return true
		}
	}
	return false
}
