//go:build why401brokenknowledge

package knowledge

// brokenVendor is a vendor file that decodes but fails the vendor checks
// (a lead without lead_says), loaded after vendors/ as if it were
// vendors/zz-broken.json in a build with the why401brokenknowledge tag:
// each door's TestKnowledgeBroken is built so, to see that door report a
// broken build (go test -tags why401brokenknowledge -run KnowledgeBroken
// ./analyzer ./cmd/why401 ./httpcheck ./worker; build.sh test runs them).
const brokenVendor = `{"id":"zz-broken","name":"Broken","kind":"waf","rules":[{"id":"r1","role":"block","part":"header","name":"x-zz-broken","lead":"Broken"}],"sources":["https://example.com/"]}`
