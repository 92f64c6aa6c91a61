package said

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"why401/analyzer/internal/capture"
)

// TestBlockPageWords: a block page's reason line wins over the rows above
// it, and the client IP it prints is read (only a well-formed address).
func TestBlockPageWords(t *testing.T) {
	page := func(body string) *capture.Message {
		return &capture.Message{Status: 403, Fields: []capture.Field{{Name: "Content-Type", Value: "text/html"}}, Body: []byte(body)}
	}
	for _, c := range []struct {
		name, body, msg, ip string
	}{
		{"sucuri table", `<html><body><table><tr><td>Your IP:</td><td>192.0.2.1</td></tr><tr><td>Your Browser: </td><td>curl/8.5.0</td></tr>` +
			`<tr><td>Block reason:</td><td>Access from your Country was disabled by the administrator.</td></tr></table></body></html>`,
			"Access from your Country was disabled by the administrator.", "192.0.2.1"},
		{"cloudflare footer", `<html><body><h1>A timeout occurred</h1><span>Error code 524</span><h2>What happened?</h2><p>The origin web server timed out responding to this request.</p>` +
			`<p><span>Cloudflare Ray ID: <strong>8e7c3e4f5061728a</strong></span> &bull; <span>Your IP: <button>Click to reveal</button> <span class="hidden">2001:db8::7</span></span></p></body></html>`,
			"The origin web server timed out responding to this request.", "2001:db8::7"},
		{"banned sentence", `<html><body><p>The owner of this website (a.example) has banned your IP address (198.51.100.7).</p></body></html>`,
			"The owner of this website (a.example) has banned your IP address (198.51.100.7).", "198.51.100.7"},
		{"no address", `<html><body><p>Your IP: unknown</p><p>Reason: maintenance</p></body></html>`, "Reason: maintenance", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := Read(page(c.body))
			assert.Equal(t, c.msg, w.Message)
			assert.Equal(t, c.ip, w.ClientIP)
		})
	}
}
