package main

// The held3 set (bench/ownwords/held3.tsv): captures labelled with the
// expected verdict, vendor and scheme; reportHeld3 prints the three
// accuracies and the false bot verdicts, the figures issue 30 asks for.

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// readHeld3 reads a held3 label file: repo, path[@commit], format, entry,
// api, verdict, vendor, scheme, note ("-": none; scheme "?": not scored).
func readHeld3(path string) ([]label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []label
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		t := sc.Text()
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "#") {
			continue
		}
		c := strings.Split(t, "\t")
		if len(c) < 8 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 9 (repo path format entry api verdict vendor scheme note)", path, n, len(c))
		}
		l := label{repo: c[0], path: c[1], format: c[2], api: c[4], verdicts: strings.Split(c[5], "|"), line: n, set: "held3", entry: -1}
		if c[3] != "-" {
			if l.entry, err = strconv.Atoi(c[3]); err != nil {
				return nil, fmt.Errorf("%s:%d: entry %q", path, n, c[3])
			}
		}
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
		l.vendors = none(c[6])
		if c[7] != "?" {
			l.schemes = none(c[7])
		}
		if len(c) > 8 {
			l.note = c[8]
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

func reportHeld3(bin string, rs []result, commits map[string]string, verbose bool) {
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
	fmt.Printf("%s: held3, %d captures from %d repositories\n", bin, n, len(repos))
	fmt.Printf("  verdict right        %3d/%-3d %s\n", vOK, n, pct(vOK, n))
	fmt.Printf("  vendor right         %3d/%-3d %s  (null where none refused)\n", venOK, n, pct(venOK, n))
	fmt.Printf("  scheme right         %3d/%-3d %s  (of the captures whose scheme is scored)\n", schOK, schN, pct(schOK, schN))
	fmt.Printf("  bot pages right      %3d/%-3d %s  (verdict and vendor)\n", botOK, bots, pct(botOK, bots))
	fmt.Printf("  false bot verdicts   %3d\n", falseBot)
	fmt.Print("mirrors (HEAD):")
	for _, r := range sorted(mapKeys(commits)) {
		fmt.Printf(" %s@%s", r, commits[r])
	}
	fmt.Println()
	if len(misses) > 0 {
		fmt.Println("misses:")
		for _, m := range misses {
			fmt.Println(m)
		}
	}
}
