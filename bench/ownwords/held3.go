package main

// The held3 set (bench/ownwords/held3.tsv) and held4 (held4.tsv, the same
// columns): captures labelled with the expected verdict, vendor and scheme;
// reportHeld3 prints the three accuracies and the false bot verdicts, the
// figures issue 30 asks for.

import (
	"fmt"
	"slices"
	"strings"
)

// readHeld3 reads a held3 label file: repo, path[@commit], format, entry,
// api, verdict, vendor, scheme, note ("-": none; scheme "?": not scored).
func readHeld3(path string) ([]label, error) {
	none := func(s string) []string {
		var v []string
		for _, x := range strings.Split(s, "|") {
			if x == "-" {
				x = ""
			}
			v = append(v, x)
		}
		return v
	}
	return readLabelRows(path, "held3", "vendor scheme", func(l *label, c []string) {
		l.vendors = none(c[6])
		if c[7] != "?" {
			l.schemes = none(c[7])
		}
	})
}

func reportHeld3(bin, set string, rs []result, commits map[string]string, verbose bool) {
	var n, vOK, venOK, schN, schOK, bots, botOK, falseBot int
	repos := map[string]bool{}
	var misses []string
	show := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, r := range rs {
		if r.err != nil {
			misses = append(misses, fmt.Sprintf("  error    %s: %v", r.label, r.err))
			continue
		}
		n++
		repos[r.repo] = true
		okV := slices.Contains(r.verdicts, r.verdict)
		okVen := slices.Contains(r.vendors, r.vendor)
		okS := r.schemes == nil || slices.Contains(r.schemes, r.scheme)
		if okV {
			vOK++
		} else {
			misses = append(misses, fmt.Sprintf("  verdict  %s [%s]: %s %.2f (expected %s)", r.label, r.api, r.verdict, r.confidence, strings.Join(r.verdicts, " or ")))
		}
		if okVen {
			venOK++
		} else {
			misses = append(misses, fmt.Sprintf("  vendor   %s [%s]: %s (expected %s)", r.label, r.api, show(r.vendor), show(strings.Join(r.vendors, " or "))))
		}
		if r.schemes != nil {
			schN++
			if okS {
				schOK++
			} else {
				misses = append(misses, fmt.Sprintf("  scheme   %s [%s]: %s (expected %s)", r.label, r.api, show(r.scheme), show(strings.Join(r.schemes, " or "))))
			}
		}
		if slices.Contains(r.verdicts, "bot") {
			bots++
			if okV && okVen {
				botOK++
			}
		} else if r.verdict == "bot" {
			falseBot++
		}
		if verbose {
			mark := "ok  "
			if !okV || !okVen || !okS {
				mark = "MISS"
			}
			fmt.Printf("%s %-9s %-10s %-7s %.2f  %s [%s]\n", mark, r.verdict, show(r.vendor), show(r.scheme), r.confidence, r.label, r.api)
		}
	}
	fmt.Printf("%s: %s, %d captures from %d repositories\n", bin, set, n, len(repos))
	fmt.Printf("  verdict right        %3d/%-3d %s\n", vOK, n, pct(vOK, n))
	fmt.Printf("  vendor right         %3d/%-3d %s  (null where none refused)\n", venOK, n, pct(venOK, n))
	fmt.Printf("  scheme right         %3d/%-3d %s  (of the captures whose scheme is scored)\n", schOK, schN, pct(schOK, schN))
	fmt.Printf("  bot pages right      %3d/%-3d %s  (verdict and vendor)\n", botOK, bots, pct(botOK, bots))
	fmt.Printf("  false bot verdicts   %3d\n", falseBot)
	printMirrorsAndMisses(commits, misses)
}
