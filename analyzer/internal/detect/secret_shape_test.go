package detect

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// randomShaped: generated credentials yes; words, ids, hashes, dates,
// versions, slugs, paths and numbers no (the hard negatives keep evidence
// such as request ids and hex ray ids readable).
func TestRandomShaped(t *testing.T) {
	for _, v := range []string{
		"cnry00Q7xZk9Lm3Vb8Np00",                   // the canaries' shape
		"Xk9fQ2LmZ7pR4tVb8NwY",                     // base62 session id
		"3f9KqLzX2vNp8TmR1wYc6HbD",                 // Azure-style subscription key
		"AbCdEfGh1234567890IjKlMn",                 // letters and digits
		"q8Zt3LmX0vB7nR2kW9pY4cJ6",                 // base64 of random bytes
		"R3Vlc3NNZTEyMzQ1Njc4OTBBQkNERUZHSElK+/w=", // base64 with padding
		"a8Kx_2mQ-9vLz7TnB4wR",                     // url-safe
		"6a1fd8zkp2cu0qr7b5xwtmgys3nvh9je",         // 32 lowercase+digits
	} {
		assert.True(t, RandomShaped(v), "%q should look random", v)
	}
	for _, v := range []string{
		"550e8400-e29b-41d4-a716-446655440000", // UUID
		"d41d8cd98f00b204e9800998ecf8427e",     // MD5
		"8A1B2C3D4E5F6789",                     // ray id, hex
		"2026-11-03T12:00:00.000Z",             // timestamp
		"1700000000123456789",                  // number
		"SpringSale2024Campaign",               // camel case words
		"iPhone15ProMax256GB",                  // product
		"product-category-shoes-2024",          // slug
		"v1.2.3-beta.4+build.20240101",         // version
		"application/x-www-form-urlencoded",    // media type
		"Mozilla/5.0 (X11; Linux x86_64)",      // UA
		"/static/js/main.8f3a2b1c.js",          // asset path
		"getUserProfileByAccountId2",           // identifier
		"en-US,en;q=0.9",                       // language
		"Authorization",                        // word
		"X-Requested-With",                     // header name
		"https://www.example.com/p/1",          // URL
		"ORD-2024-000123-ABCD",                 // order number
		"shortTok3n",                           // short
		"internationalization2025",             // long word
		"user_1234567890_profile",              // id
		"YmxvY2stMDAwMDE=",                     // base64 of "block-00001" (an Azure block id)
		"Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA",       // base64 of "foobarbazqux1234567890"
	} {
		assert.False(t, RandomShaped(v), "%q should not look random", v)
	}
}

func TestLog2(t *testing.T) {
	for _, x := range []float64{1e-6, 0.01, 0.1, 0.25, 0.3, 0.5, 0.77, 1} {
		assert.InDelta(t, math.Log2(x), log2(x), 1e-4, "%v", x)
	}
}

// FuzzURLParams: rebuilding a URL with every value unchanged gives the URL
// back; the shape check, the body reader and MaskURL never panic, and
// MaskURL never shows a value it judged random.
func FuzzURLParams(f *testing.F) {
	f.Add("https://a.example/app;jsessionid=Xk9fQ2LmZ7pR4tVb8NwY?subscription-key=3f9KqLzX2vNp8TmR1wYc6HbD&x=1#access_token=a8Kx_2mQ-9vLz7TnB4wR&y", `{"license":"cnry00Q7xZk9Lm3Vb8Np00","a":[1,"b",{"c":"d"}]}`)
	f.Add("/p;a=1;b;=c?&&=#!", "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nhunter22\r\n--XyZ--")
	f.Fuzz(func(t *testing.T, u, body string) {
		if got, changed := EachURLParam(u, func(_, v string) string { return v }); got != u || changed {
			t.Fatalf("EachURLParam(%q) = %q, %v", u, got, changed)
		}
		m := MaskURL(u)
		EachURLParam(u, func(k, v string) string {
			if len(v) >= 8 && RandomShaped(v) && strings.Contains(m, "="+v) && !strings.Contains(m, "["+v) {
				t.Fatalf("MaskURL(%q) = %q shows %q", u, m, v)
			}
			return v
		})
		bodySecrets(body, func(string) {})
		RandomShaped(body)
	})
}
