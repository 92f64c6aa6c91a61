package detect

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"why401/analyzer/internal/capture"
)

// Identifiers are not secrets merely because a credential-like header
// name holds them or their letters look mixed (fifth review: a host name,
// an error code and a model name shown as [secret …]); real secrets under
// the same names stay masked.
func TestIdentifiersAreNotSecrets(t *testing.T) {
	for _, c := range []struct {
		v            string
		host, code   bool
		random, name bool
	}{
		{v: "api.example-mail.com", host: true},
		{v: "eu1.api.vendor.io", host: true},
		{v: "UNAUTHORIZED", code: true},
		{v: "INVALID_API_KEY", code: true},
		{v: "token_revoked", code: true},
		{v: "Falcon-2.5-11B-Chat", name: true},
		{v: "Qwen-7B-Instruct-v0.3", name: true},
		// hard negatives: secrets keep their mask
		{v: "Api.Example.Com"},
		{v: "abc.def.12"},
		{v: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU", random: false},
		{v: "QWRT7ZPLMKX2NVBG"},
		{v: "sk_live_51HxQwErTyUi0pAsDfGh", random: true},
		{v: "hf_QwEr7TyUiOpAsDf3GhJkLzXcVbNm", random: true},
		{v: "Xk9-QwErTy7-Zp3Lm", random: true},
	} {
		assert.Equal(t, c.host, hostName(c.v), "hostName %s", c.v)
		assert.Equal(t, c.code, codeWord(c.v), "codeWord %s", c.v)
		if c.name {
			assert.False(t, RandomShaped(c.v), "a name of words %s", c.v)
		}
		if c.random {
			assert.True(t, RandomShaped(c.v), "a token %s", c.v)
		}
	}
}

func TestCollectSecretsKeepsIdentifiers(t *testing.T) {
	ex := &capture.Exchange{
		Request: &capture.Message{URL: "https://models.example.org/acme/Falcon-2.5-11B-Chat/raw/main/config.json", Fields: []capture.Field{
			{Name: "X-Api-Host", Value: "api.example-mail.com"},
			{Name: "X-Api-Key", Value: "UNAUTHORIZED"}, // a request value is what was sent: kept a secret
			{Name: "Authorization", Value: "Bearer tok_Zq8LmN3vXp0RtY7uWk2s"},
		}},
		Response: capture.Message{Status: 401, Fields: []capture.Field{
			{Name: "X-Api-Domain", Value: "api.example-mail.com"},
			{Name: "X-Edge-Auth-Decision", Value: "UNAUTHORIZED"},
			{Name: "X-Auth-Reason", Value: "token_revoked"},
			{Name: "X-Session-Token", Value: "QWRT7ZPLMKX2NVBG"},
			{Name: "X-Subject-Token", Value: "gAAAAABk9xQ2LmZ7pR4tVb8NwY"},
		}},
	}
	s := CollectSecrets(ex)
	assert.NotContains(t, s.list, "api.example-mail.com")
	assert.NotContains(t, s.list, "token_revoked")
	assert.NotContains(t, s.list, "Falcon-2.5-11B-Chat")
	assert.Contains(t, s.list, "UNAUTHORIZED", "sent in a request header: a secret")
	assert.Contains(t, s.list, "QWRT7ZPLMKX2NVBG", "capitals with digits: a token")
	assert.Contains(t, s.list, "gAAAAABk9xQ2LmZ7pR4tVb8NwY")
	assert.Contains(t, s.list, "tok_Zq8LmN3vXp0RtY7uWk2s")
	assert.NotEqual(t, "Zq8LmN3vXp0RtY7uWk2sAb", maskHeaderValue("X-Api-Key", "Zq8LmN3vXp0RtY7uWk2sAb"))
}

// An empty password or user-id in Basic credentials is said; a full pair,
// or a value without the colon (malformedCredential's), is not.
func TestBasicEmptyPart(t *testing.T) {
	for _, c := range []struct {
		raw, part string
	}{
		{"YXBpOg==", "password"},                                         // api:
		{"OnMzY3JldC12YWx1ZQ==", "user-id"},                              // :s3cret-value
		{"YXBpOmtleS0xMjM=", ""},                                         // api:key-123
		{"QUMwYTFiMmMzZDRlNWY2MDcxODI5M2E0YjVjNmQ3ZThmOTo=", "password"}, // a Twilio Account SID, a public id, and no token
		{"c2tfdGVzdF80ZUMzOUhxTHlqV0Rhcmp0VDF6ZHA3ZGM6", ""},             // a Stripe key as the user-id: no password by design
		{"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY6", ""},             // a 32-hex key as the user-id (Zyte)
		{"Og==", ""}, // ":" both empty: malformed, not this
		{"YXBp", ""}, // api, no colon
	} {
		s, ok := basicEmptyPart(credential{Scheme: "basic", Raw: c.raw, Where: "Authorization"})
		assert.Equal(t, c.part != "", ok, c.raw)
		assert.Equal(t, c.part, s.Params["empty_part"], c.raw)
		assert.NotContains(t, s.Text, "s3cret-value", "the password is never echoed")
	}
}
