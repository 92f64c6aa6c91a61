package knowledge

import (
	"sort"
	"sync"

	"why401/analyzer/vendors"
)

// VendorFile is the on-disk shape of vendors/<id>.json. See vendors/README.md.
type VendorFile struct {
	// File is where it was read ("vendors/akamai.json"), for messages.
	File string `json:"-"`
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"` // bot_management | waf | cdn | captcha | pow | generic | proxy (scraping-proxy provider)
	// Signatures: the vendor also runs an attack-signature WAF (a bot
	// manager with a WAF: Cloudflare, Imperva), so a lone quote in the
	// request may explain its block as it does a "waf" kind's.
	Signatures bool             `json:"signatures,omitempty"`
	Rules      []Rule           `json:"rules"`
	Reference  []RefRule        `json:"reference"`
	Fixes      map[string][]Fix `json:"fixes"` // by role: challenge, block, captcha, rate_limit
	Sources    []string         `json:"sources"`
	Notes      string           `json:"notes"`
}

// Rule is one marker. Exactly one part; a header/cookie rule names the field;
// a body rule lists words (any of them, or all with "all": true).
type Rule struct {
	ID        string   `json:"id"`
	Role      string   `json:"role"`                 // presence | challenge | block | captcha | rate_limit
	Part      string   `json:"part"`                 // header | cookie | request.header | request.cookie | reason | body
	Name      string   `json:"name,omitempty"`       // header or cookie name (case-insensitive)
	NameRe    string   `json:"name_regex,omitempty"` // instead of name: the field name matches this RE2 (case-insensitive)
	Prefix    bool     `json:"prefix,omitempty"`     // Name is a prefix (cookie "visid_incap_")
	Equals    string   `json:"equals,omitempty"`     // header value equals (case-insensitive)
	Contains  string   `json:"contains,omitempty"`   // header or cookie value contains
	Regex     string   `json:"regex,omitempty"`      // header value or body must also match (RE2)
	Words     []string `json:"words,omitempty"`      // body: literal markers (case-insensitive)
	All       bool     `json:"all,omitempty"`        // body: every word must appear
	Status    []int    `json:"status,omitempty"`     // the rule counts only for these statuses
	NotStatus []int    `json:"not_status,omitempty"` // …and never for these (the page a vendor also serves for another role)
	Gate      bool     `json:"gate,omitempty"`       // only on a gate page: status >= 400 or a small page
	Stub      bool     `json:"stub,omitempty"`       // only on a stub: a small page with almost no visible text (it only runs a script)
	Fallback  bool     `json:"fallback,omitempty"`   // counts only when no other voting rule of the vendor fired (a page that does not say its sub-type)
	Bodyless  bool     `json:"bodyless,omitempty"`   // header/cookie rules: only when the capture holds no response body (curl -I); with the page, the page decides
	Without   string   `json:"without,omitempty"`    // a response header whose presence stops the rule (the edge marks what it carried from the origin: CF-Cache-Status)
	Address   bool     `json:"address,omitempty"`    // the rule bans the client's address (an IP or country ban): the request's traits explain nothing
	Geo       bool     `json:"geo,omitempty"`        // an address rule by country or region (a geo restriction): the summary says so, not "bot block"
	// Lead and LeadSays head the summary when this rule decides, instead
	// of the verdict's lead: what the vendor's number or page means, in
	// its own terms ("IP ban": "the site owner banned your IP address …"),
	// where "Bot block in disguise" would contradict it. Both or neither.
	Lead     string  `json:"lead,omitempty"`
	LeadSays string  `json:"lead_says,omitempty"`
	Weight   float64 `json:"weight,omitempty"`  // default by role
	Cause    string  `json:"cause,omitempty"`   // default: the role
	Explain  string  `json:"explain,omitempty"` // what this marker means, shown with the evidence
}

// RefRule extracts a reference id the user can quote to the site owner.
type RefRule struct {
	Label string `json:"label"`           // "Ray ID", "Reference #", "incident ID"
	Part  string `json:"part"`            // header | body
	Name  string `json:"name,omitempty"`  // header name
	Regex string `json:"regex,omitempty"` // body (or header) regex; the first group is the id
	// Epoch, when above 0, is the dot-separated field of the id (counted
	// from 1) that holds the Unix time of the refusal (Akamai's
	// 18.<hex>.<epoch>.<hex>): the report decodes it.
	Epoch int `json:"epoch,omitempty"`
}

// Vendors returns the vendor files, decoded and sorted by id, and the
// errors of the files that do not load (each naming its file; the others
// are still returned). The slice is shared: read it, never change it.
func Vendors() ([]VendorFile, error) { return vendorFiles() }

// Vendor returns the vendor file with that id, or nil (without loading
// the vendors when id is "").
func Vendor(id string) *VendorFile {
	if id == "" {
		return nil
	}
	list, _ := vendorFiles()
	i := sort.Search(len(list), func(i int) bool { return list[i].ID >= id })
	if i < len(list) && list[i].ID == id {
		return &list[i]
	}
	return nil
}

// vendorFiles are the vendor files that load (and the errors of those
// that do not, each naming its file). The checks of the format (ids,
// roles, parts, weights, sources) are the knowledge tests': the files are
// embedded, so a bad one cannot ship.
var vendorFiles = sync.OnceValues(func() ([]VendorFile, error) {
	var out []VendorFile
	err := loadFolder("vendors", vendors.Files(), func(file string, data []byte) (string, func(), error) {
		f, err := decodeVendor(file, data)
		return f.ID, func() { out = append(out, f) }, err
	})
	if brokenVendor != "" { // the why401brokenknowledge build tag's (broken_on.go)
		if f, ferr := decodeVendor("vendors/zz-broken.json", []byte(brokenVendor)); ferr == nil {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
})

func decodeVendor(file string, data []byte) (VendorFile, error) {
	var f VendorFile
	if err := load(file, data, &f); err != nil {
		return VendorFile{}, err
	}
	f.File = file
	return f, nil
}
