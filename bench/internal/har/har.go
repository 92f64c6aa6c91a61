// Package har holds the HAR 1.2 types the bench tools write: genhar's
// Chrome-shaped captures and ownwords' converted recordings. Fields are in
// the order DevTools writes them.
package har

// Header is a name/value pair: a header, a cookie or a query parameter.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Content is a response body: text, base64 when Encoding says so.
type Content struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

// PostData is a request body.
type PostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

// Request is an entry's request.
type Request struct {
	Method      string    `json:"method"`
	URL         string    `json:"url"`
	HTTPVersion string    `json:"httpVersion"`
	Headers     []Header  `json:"headers"`
	QueryString []Header  `json:"queryString"`
	Cookies     []Header  `json:"cookies"`
	HeadersSize int       `json:"headersSize"`
	BodySize    int       `json:"bodySize"`
	PostData    *PostData `json:"postData,omitempty"`
}

// Response is an entry's response.
type Response struct {
	Status      int      `json:"status"`
	StatusText  string   `json:"statusText"`
	HTTPVersion string   `json:"httpVersion"`
	Headers     []Header `json:"headers"`
	Cookies     []Header `json:"cookies"`
	Content     Content  `json:"content"`
	RedirectURL string   `json:"redirectURL"`
	HeadersSize int      `json:"headersSize"`
	BodySize    int      `json:"bodySize"`
}
