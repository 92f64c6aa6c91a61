package knowledge

import (
	_ "embed"
	"errors"
)

// SaidFile is said.json: where servers put their own words — the message,
// the error code and the reference ids a support desk asks for. The
// detectors quote them (detect/said.go); a newcomer adds a path, a header
// or a label here without touching the engine.
type SaidFile struct {
	// Notes: where the entries come from (kept in README.md, which the
	// page does not embed; the key stays readable).
	Notes string `json:"notes,omitempty"`
	// MessagePaths and CodePaths are gjson paths into a JSON body, tried in
	// order; the first that holds a string (a number, for a code) wins.
	MessagePaths []string `json:"message_paths"`
	CodePaths    []string `json:"code_paths"`
	// XMLMessage and XMLCode are element names (<Message>, <Code>).
	XMLMessage []string `json:"xml_message"`
	XMLCode    []string `json:"xml_code"`
	// MessageHeaders and CodeHeaders are response headers that carry them.
	MessageHeaders []string `json:"message_headers"`
	CodeHeaders    []string `json:"code_headers"`
	// HTMLLabels start a block page's own reason line ("Block reason: …"),
	// matched case-insensitively at the start of a line of the page's text;
	// in order of preference (the first label any line has wins).
	HTMLLabels []string `json:"html_labels"`
	// HTMLFieldLabels are HTMLLabels that name a field of a status page
	// ("Description The request has not been applied …" of Tomcat's page):
	// the field's value is quoted without its name.
	HTMLFieldLabels []string `json:"html_field_labels"`
	// HTMLLeadIns start a line of a page after which the page gives its
	// reason in the next line (CloudFront's "The request could not be
	// satisfied.", then "Request blocked."), matched like HTMLLabels.
	HTMLLeadIns []string `json:"html_lead_ins"`
	// ClientIPLabels start a block page's line that prints the client's IP
	// address ("Your IP: 203.0.113.7"): the report quotes it.
	ClientIPLabels []string `json:"client_ip_labels"`
	// MessageTails are labelled lines servers append to a message ("Trace
	// ID: …", "Timestamp: …"): the message is quoted up to the first, and
	// those marked ref give reference ids.
	MessageTails []MessageTail `json:"message_tails"`
	// RequestIDHeaders, RequestIDJSON (gjson paths) and RequestIDXML
	// (element names) hold request and trace ids: identifiers, not secrets.
	RequestIDHeaders []string `json:"request_id_headers"`
	RequestIDJSON    []string `json:"request_id_json"`
	RequestIDXML     []string `json:"request_id_xml"`
	// RequestIDSuffixes end the lowered name of a response header that is
	// an origin's own request id though no entry lists it
	// ("x-acme-request-id"); read after RequestIDHeaders.
	RequestIDSuffixes []string `json:"request_id_suffixes"`
	// CDNRequestIDHeaders are a CDN's ids for the hop (cf-ray): read last,
	// after the body's ids, so the application's own id comes first.
	CDNRequestIDHeaders []string `json:"cdn_request_id_headers"`
}

// MessageTail is one label of said.json's message_tails.
type MessageTail struct {
	Label string `json:"label"`
	Ref   bool   `json:"ref,omitempty"`
}

//go:embed said.json
var saidJSON []byte

// Said returns said.json decoded, or its first error.
var Said = loader(func() (*SaidFile, error) {
	var f SaidFile
	if err := load("said.json", saidJSON, &f); err != nil {
		return nil, err
	}
	if len(f.MessagePaths) == 0 || len(f.RequestIDHeaders) == 0 {
		return nil, errors.New("analyzer: said.json: message_paths and request_id_headers are required")
	}
	return &f, nil
})
