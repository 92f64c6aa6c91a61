package detect

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Secret path segments are fingerprinted in a URL (issue 31): bot tokens,
// webhook secrets, JWTs, key-prefixed and random-shaped segments; ids,
// hashes, words and versions are not.
func TestMaskURLPathSecrets(t *testing.T) {
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXNlY3JldA"
	for _, c := range []struct{ in, secret, want string }{
		{"https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "https://api.telegram.org/bot[telegram-bot-token len=44 …Dsaw]/sendMessage"},
		{"https://api.telegram.org/bot123456789%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", ""},
		// The token without its "bot" word (Telegram answers 404): still a secret.
		{"https://api.telegram.org/123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "https://api.telegram.org/[telegram-bot-token len=44 …Dsaw]/getMe"},
		{"https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx", "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/[slack-webhook-secret len=24 …uvwx]"},
		{"https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz-ABCDEFGH", "abcdefghijklmnopqrstuvwxyz", ""},
		{"https://chat.example.com/hooks/xi9m3ohq8pbzjd7ny1ke4w6c5a", "xi9m3ohq8pbzjd7ny1ke4w6c5a", ""},
		{"https://api.example.com/v1/session/" + jwt + "/profile", "c2lnbmF0dXJlLXNlY3JldA", ""},
		{"https://files.example.com/share/Xk9fQ2LmZ7pR4tVb8NwY/report.pdf;jsessionid=1", "Xk9fQ2LmZ7pR4tVb8NwY", ""},
		{"https://api.example.com/keys/sk_live_abcdefghijklmnop1234/usage", "sk_live_abcdefghijklmnop1234", ""},
		// a URL later in the query is not where the path starts (weburl.Split, not the first "://")
		{"/callback?token=" + jwt + "&next=https://app.example.com/", "c2lnbmF0dXJlLXNlY3JldA", ""},
	} {
		got := MaskURL(c.in)
		assert.NotContains(t, got, c.secret, "MaskURL(%q)", c.in)
		if c.want != "" {
			assert.Equal(t, c.want, got)
		}
	}
	for _, u := range []string{
		"https://api.example.com/v1/users/550e8400-e29b-41d4-a716-446655440000/orders",
		"https://cdn.example.com/static/js/main.8f3a2b1c.js",
		"https://api.example.com/repos/d41d8cd98f00b204e9800998ecf8427e/commits",
		"https://shop.example.com/product-category-shoes-2024/iPhone15ProMax256GB",
		"https://api.example.com/v2.1.3/getUserProfileByAccountId2",
		"https://hooks.example.com/hooks/deploy", // a word after hooks/
		"https://discord.com/api/webhooks/123/short",
		"/bot/help",
	} {
		assert.Equal(t, u, MaskURL(u))
	}
}

// Header names: the short words of a secret count as words of their own;
// a host and a CORS flag are not credentials (issue 31).
func TestCredentialHeaderNames(t *testing.T) {
	for _, n := range []string{"X-Request-Sig", "X-Upstream-Pass", "CF-Access-Jwt-Assertion", "X-Goog-IAP-JWT-Assertion",
		"X-Hmac-Sha256", "X-OTP", "X-TOTP", "X-Pin", "X-Passphrase", "X-Passcode", "X-Sign", "Authorization", "X-Api-Key"} {
		assert.True(t, CredentialHeader(n), n)
	}
	for _, n := range []string{":authority", "Access-Control-Allow-Credentials", "X-Bypass-Cache", "X-Passenger-Version",
		"X-Shipping-Zone", "X-Design", "X-Ping", "Signal", "Content-Type", "WWW-Authenticate", "X-Pinned",
		"X-Shopify-API-Version", "X-GitHub-Api-Version", "Api-Version"} {
		assert.False(t, CredentialHeader(n), n)
	}
	for _, n := range []string{"hmac", "client_assertion", "assertion", "passphrase"} {
		assert.True(t, CredentialParam(n), n)
	}
}

// Every header value a door prints passes a shape check, whatever its
// name: a JWT, a key, URL userinfo and random-shaped values are
// fingerprinted; a reference id with its vendor's shape, ids and plain
// values are kept.
func TestShowHeaderValue(t *testing.T) {
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXNlY3JldA"
	for _, c := range []struct{ name, value, secret string }{
		{"X-Trace-Context", "Xk9fQ2LmZ7pR4tVb8NwY", "Xk9fQ2LmZ7pR4tVb8NwY"},
		{"X-Debug", "token was " + jwt + " here", "c2lnbmF0dXJlLXNlY3JldA"},
		{"X-Upstream", "http://bob:hunter2secret@proxy.example:3128", "hunter2secret"},
		{"X-Forwarded-Info", "id=q8Zt3LmX0vB7nR2kW9pY4cJ6; v=2", "q8Zt3LmX0vB7nR2kW9pY4cJ6"},
		{"X-Request-Sig", "v1=0123", "v1=0123"},
		{"X-Note", "key sk_live_abcdefghijklmnop1234 used", "sk_live_abcdefghijklmnop1234"},
	} {
		got := ShowHeaderValue(c.name, c.value)
		assert.NotContains(t, got, c.secret, "%s: %s", c.name, c.value)
		assert.Contains(t, got, " len=", "%s: %s", c.name, c.value)
	}
	for _, c := range []struct{ name, value string }{
		{"cf-ray", "8d2f1c3b5a7e9d21-AMS"},
		{"X-Amz-Cf-Id", "xQpWm3vR7kLtY2nB9sHd4fGj6aZc8eUo1iPq0wEr5tYu7iOp9aSd=="},
		{"X-Request-Id", "550e8400-e29b-41d4-a716-446655440000"},
		{"Server", "cloudflare"},
		{"Accept", "application/json, text/plain, */*"},
		{"Retry-After", "120"},
		{"X-Served-By", "cache-fra-etou8220123-FRA"},
	} {
		assert.Equal(t, c.value, ShowHeaderValue(c.name, c.value), c.name)
	}
	assert.True(t, strings.HasPrefix(ShowHeaderValue("Authorization", "Bearer "+jwt), "Bearer [jwt len="))
}
