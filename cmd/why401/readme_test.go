package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMEExample keeps the README's "This will print:" block true: it runs
// the command shown above it and compares the output line by line.
func TestREADMEExample(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(data)
	cmdStart := strings.Index(readme, "$ bin/why401 ")
	require.GreaterOrEqual(t, cmdStart, 0, "README has no example command")
	cmdLine := readme[cmdStart+len("$ bin/why401 "):]
	cmdLine = cmdLine[:strings.IndexByte(cmdLine, '\n')]
	after := readme[cmdStart:]
	i := strings.Index(after, "This will print:\n\n```\n")
	require.GreaterOrEqual(t, i, 0)
	block := after[i+len("This will print:\n\n```\n"):]
	block = block[:strings.Index(block, "```")]

	t.Chdir("../..")
	code, out, errOut := runCLI(t, "", strings.Fields(cmdLine)...)
	require.Equal(t, 0, code, errOut)
	for _, line := range strings.Split(strings.TrimRight(block, "\n"), "\n") {
		if strings.TrimSpace(line) == "…" {
			continue
		}
		assert.Contains(t, out, line, "README example line not in the output of why401 %s", cmdLine)
	}
}
