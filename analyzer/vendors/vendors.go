// Package vendors is the anti-bot, WAF and CAPTCHA vendor files of this
// folder, embedded (their format: README.md). The analyzer's knowledge
// stage decodes and checks them; adding a vendor means adding a file here.
package vendors

import "embed"

//go:embed *.json
var files embed.FS

// Files returns the vendor files, by name at the root.
func Files() embed.FS { return files }
