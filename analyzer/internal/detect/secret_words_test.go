package detect

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"why401/analyzer/internal/capture"
)

// A response header named like a credential whose value is a status in
// words (X-HubSpot-Auth-Failure: 401 Unauthorized) is no secret: scrubbing
// it masked the status line of the whole report (third review m03). A
// token the server issues in a response header, and any request header,
// stay secrets.
func TestCollectSecretsPlainWordsInResponse(t *testing.T) {
	ex := &capture.Exchange{
		Request: &capture.Message{Fields: []capture.Field{
			{Name: "X-Auth-Note", Value: "correct horse battery staple"},
		}},
		Response: capture.Message{Status: 401, Fields: []capture.Field{
			{Name: "X-HubSpot-Auth-Failure", Value: "401 Unauthorized"},
			{Name: "X-Auth-Error", Value: "invalid token."},
			{Name: "X-Subject-Token", Value: "gAAAAABk9xQ2LmZ7pR4tVb8NwY"},
		}},
	}
	s := CollectSecrets(ex)
	assert.NotContains(t, s.list, "401 Unauthorized")
	assert.NotContains(t, s.list, "invalid token.")
	assert.Contains(t, s.list, "gAAAAABk9xQ2LmZ7pR4tVb8NwY")
	assert.Contains(t, s.list, "correct horse battery staple", "a request header's words are still a secret")
}

func TestPlainWords(t *testing.T) {
	for _, v := range []string{"401 Unauthorized", "invalid token.", "Token expired", "403 Forbidden: access denied"} {
		assert.True(t, plainWords(v), v)
	}
	for _, v := range []string{"Unauthorized", "gAAAAABk9xQ2LmZ7pR4tVb8NwY", "abc123 def", "Bearer eyJhbGciOi.x.y", ""} {
		assert.False(t, plainWords(v), v)
	}
}
