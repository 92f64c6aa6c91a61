package capture

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	meterHead = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n" +
		"                                 Dload  Upload   Total   Spent    Left  Speed\n"
	meterRow0 = "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
	meterRow  = "100    61  100    61    0     0    402      0 --:--:-- --:--:-- --:--:--   403"
	vReq      = "> GET /v1/me HTTP/1.1\n> Host: api.example.com\n> User-Agent: curl/8.5.0\n>\n"
	vResp     = "< HTTP/1.1 403 Forbidden\n< Content-Type: text/plain\n<\n"
	vIntact   = "* Connection #0 to host api.example.com left intact\n"
)

// TestTranscriptBody: what of a pasted terminal is the response body.
// Progress-meter lines never are; the user's next prompt or comment after
// curl's closing line is not; a body's own "# " or "$ " lines before that
// line stay.
func TestTranscriptBody(t *testing.T) {
	for _, tt := range []struct{ name, in, body string }{
		{
			name: "progress meter interleaved, body inline",
			in:   "$ curl -v https://api.example.com/v1/me\n" + meterHead + meterRow0 + "* Connected to api.example.com (192.0.2.1) port 443\n" + vReq + vResp + "{ [61 bytes data]\nAccess denied: token lacks the read scope\n" + meterRow + "\n" + vIntact,
			body: "Access denied: token lacks the read scope",
		},
		{
			name: "progress rows glued with carriage returns",
			in:   vReq + vResp + "Access denied\n" + meterRow0 + "\r" + meterRow + "\r" + meterRow + "\n" + vIntact,
			body: "Access denied",
		},
		{
			name: "body written with -o, then printed with head",
			in:   "$ curl -v https://api.example.com/v1/me -o me.html\n" + meterHead + meterRow0 + "* Connected to api.example.com (192.0.2.1) port 443\n" + vReq + vResp + "{ [61 bytes data]\n" + meterRow + "\n" + vIntact + "\n$ head -c 600 me.html\n<html><title>Blocked</title></html>\n$ ls\nme.html\n",
			body: "<html><title>Blocked</title></html>",
		},
		{
			name: "written with -o, another file printed",
			in:   "$ curl -v https://api.example.com/v1/me -o me.html\n" + vReq + vResp + "{ [61 bytes data]\n" + vIntact + "$ cat notes.txt\nremember the token\n",
			body: "",
		},
		{
			name: "user's comment after Closing connection",
			in:   vReq + "< HTTP/1.1 407 Proxy Authentication Required\n< Proxy-Authenticate: Basic realm=\"proxy\"\n< Content-Length: 0\n<\n* Closing connection\ncurl: (56) CONNECT tunnel failed, response 407\n\n# the same account works from the dashboard\n# gate.example:7000:user:pass\n",
			body: "",
		},
		{
			name: "user@host prompt after left intact",
			in:   vReq + vResp + "Access denied\n" + vIntact + "dev@box:~/src$ echo $?\n0\n",
			body: "Access denied",
		},
		{
			name: "closing line glued to a body without a final line break",
			in:   vReq + vResp + "{\"error\":\"forbidden\"}* Connection #0 to host api.example.com left intact\n$ \n",
			body: `{"error":"forbidden"}`,
		},
		{
			name: "the next curl command ends the body",
			in:   vReq + vResp + "Access denied\n$ curl -v https://api.example.com/v1/other\n",
			body: "Access denied",
		},
		// Hard negatives: the body's own lines.
		{
			name: "markdown body with # headings before the closing line",
			in:   vReq + vResp + "# Forbidden\n\nYour token lacks a scope.\n\n# How to fix\n$ gh auth refresh -s repo\n" + vIntact,
			body: "# Forbidden\n\nYour token lacks a scope.\n\n# How to fix\n$ gh auth refresh -s repo",
		},
		{
			name: "body after left intact (stdout piped, printed last)",
			in:   vReq + vResp + vIntact + "Access denied\nRequest id 42\n",
			body: "Access denied\nRequest id 42",
		},
		{
			name: "numbers in a body are not a meter row",
			in:   vReq + vResp + "100 12848 100 12848 0 0 91241 0 quota 1 2 3\n1 2 3 4 5 6 7 8 9 10 11 12\n" + vIntact,
			body: "100 12848 100 12848 0 0 91241 0 quota 1 2 3\n1 2 3 4 5 6 7 8 9 10 11 12",
		},
		{
			name: "curl -i 2>&1: the meter in a plain paste",
			in:   meterHead + meterRow0 + "\rHTTP/1.1 403 Forbidden\nContent-Type: text/plain\n\nAccess denied\n" + meterRow + "\n",
			body: "Access denied",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			exs, _, err := ParseText([]byte(tt.in), DefaultLimits(), &Warnings{})
			require.NoError(t, err)
			require.NotEmpty(t, exs)
			assert.Equal(t, tt.body, string(exs[len(exs)-1].Response.Body))
		})
	}
}

func TestCutProgress(t *testing.T) {
	for _, tt := range []struct{ in, rest string }{
		{"  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current", ""},
		{"                                 Dload  Upload   Total   Spent    Left  Speed", ""},
		{meterRow, ""},
		{meterRow0 + "* Host x:443 was resolved.", "* Host x:443 was resolved."},
		{meterRow0 + "\r" + meterRow, ""},
		{" 45 1024k   45  461k    0     0   312k      0  0:00:03  0:00:01  0:00:02  312k", ""},
		{"\r" + meterRow + "\rtail", "tail"},
		{meterRow + "Export limit reached", "Export limit reached"},
		{meterRow + "Too many requests", "Too many requests"},
		{" 45 1024k   45  461k    0     0   312k      0  0:00:03  0:00:01  0:00:02  312k* Closing connection", "* Closing connection"},
	} {
		got, ok := cutProgress([]byte(tt.in))
		assert.True(t, ok, "%q", tt.in)
		assert.Equal(t, tt.rest, string(got), "%q", tt.in)
	}
	for _, in := range []string{
		"Total: 12 items", "100 12848 100 12848 0 0 91241 0 quota", "1 2 3 4 5 6 7 8 9 10 11 12",
		"200 OK 100 1 2 3 4 5 --:--:-- --:--:-- --:--:-- 0", "time: 12:00:00", "",
	} {
		got, ok := cutProgress([]byte(in))
		assert.False(t, ok, "%q", in)
		assert.Equal(t, in, string(got))
	}
}

func TestPromptCommand(t *testing.T) {
	for _, tt := range []struct {
		in    string
		words []string
		ok    bool
	}{
		{"$ curl -v x", []string{"curl", "-v", "x"}, true},
		{"% head -c 600 f", []string{"head", "-c", "600", "f"}, true},
		{"$", nil, true},
		{"dev@box:~/src$ cat f", []string{"cat", "f"}, true},
		{"[dev@box src]$ ls", []string{"ls"}, true},
		{"contact admin@example.com for access", nil, false},
		{"Access denied", nil, false},
		{"#hashtag", nil, false},
	} {
		words, ok := promptCommand([]byte(tt.in))
		assert.Equal(t, tt.ok, ok, "%q", tt.in)
		assert.Equal(t, tt.words, words, "%q", tt.in)
	}
	assert.Equal(t, "me.html", curlOutput("$ curl -v https://x/ -o me.html"))
	assert.Equal(t, "f.json", curlOutput("curl -of.json https://x/"))
	assert.Equal(t, "", curlOutput("curl -o"))
	assert.Equal(t, "", curlOutput("echo -o f"))
}
