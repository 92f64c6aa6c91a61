//go:build !why401brokenknowledge

package knowledge

// brokenVendor is empty but in a build with the why401brokenknowledge tag
// (broken_on.go).
const brokenVendor = ""
