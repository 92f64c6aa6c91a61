// Package apis is the API error files of this folder, embedded (their
// format: README.md). The analyzer's knowledge stage decodes and checks
// them; adding an API means adding a file here.
package apis

import "embed"

//go:embed *.json
var files embed.FS

// Files returns the API files, by name at the root.
func Files() embed.FS { return files }
