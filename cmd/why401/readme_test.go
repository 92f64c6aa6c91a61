package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeExample is a "$ bin/why401 …" command of the README and the output
// block that follows it ("This will print…:").
var readmeExample = regexp.MustCompile("(?s)```sh\n\\$ bin/why401 ([^\n]*)\n```\n\n([^`]*?)will print[^\n]*:\n\n```\n(.*?)```")

// TestREADMEExamples keeps the README's printed outputs true: each command
// shown is run and every line of the block after it must be in its output
// ("…" stands for lines left out). A table is compared as a terminal shows
// it: aligned.
func TestREADMEExamples(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	examples := readmeExample.FindAllStringSubmatch(string(data), -1)
	require.GreaterOrEqual(t, len(examples), 3, "README examples with their output")
	t.Chdir("../..")
	for _, ex := range examples {
		cmdLine, block := ex[1], ex[3]
		code, out, errOut := runCLI(t, "", strings.Fields(cmdLine)...)
		require.Equal(t, 0, code, errOut)
		if strings.Contains(cmdLine, "table") {
			var b strings.Builder
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			tw.Write([]byte(out))
			tw.Flush()
			out = b.String()
		}
		lines := strings.Split(out, "\n")
		for i := range lines {
			lines[i] = strings.TrimRight(lines[i], " ")
		}
		out = strings.Join(lines, "\n")
		for _, line := range strings.Split(strings.TrimRight(block, "\n"), "\n") {
			if strings.TrimSpace(line) == "…" {
				continue
			}
			assert.Contains(t, out, line, "README example line not in the output of why401 %s", cmdLine)
		}
	}
}
