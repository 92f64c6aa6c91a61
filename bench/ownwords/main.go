// Command ownwords measures, on captures nobody here wrote, what issue 28
// asks of a report: the right verdict, the server's request or trace ids
// quoted whole, the server's own message quoted, and a confidence that
// follows how often the verdict is right (a reliability table).
//
// The captures are recordings other people made or wrote (SDK cassettes,
// replay data, mocks of recorded responses, saved pages), read in place from
// mirrors of their public repositories and converted on the fly (convert.go);
// bench/ownwords/labels.tsv lists them with the expected verdict and, read by
// hand from each recording, the ids it carries and a distinctive piece of
// the message it carries. bench/ownwords.sh builds the CLI and runs this.
//
//	go run ./bench/ownwords -bin why401 [-mirrors /work/.mirror] [-realpages bench/realpages/labels.tsv] [-v]
//	go run ./bench/ownwords -list FORMAT OWNER/NAME PATH    (explore: the refusals a recording holds)
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// label is one line of labels.tsv.
type label struct {
	repo, path, format string
	entry              int
	api                string
	verdicts           []string // the expected verdict; "a|b" when two readings hold
	ids                []string // every id the report must quote ("-": none carried)
	message            string   // a piece of the server's message ("-": none carried)
	note               string
	line               int
	set                string   // "ownwords", "realpages" or "held3"
	vendors, schemes   []string // held3: the expected vendor and scheme ("" none; schemes nil: not scored)
}

func (l label) String() string {
	s := l.repo + "/" + l.path
	switch {
	case strings.HasPrefix(l.format, "md:"), strings.HasPrefix(l.format, "mdin:"), strings.HasPrefix(l.format, "curlv:"):
		s += " (" + l.format + ")"
	case l.entry >= 0 && (l.set == "ownwords" || l.set == "held3"):
		s += "#" + strconv.Itoa(l.entry)
	}
	return s
}

type result struct {
	label
	verdict, reference, message, code string
	vendor, scheme                    string
	confidence                        float64
	err                               error
}

func main() {
	bin := flag.String("bin", "", "the why401 binary to run")
	name := flag.String("name", "", "what to call the binary in the output (default: its path)")
	mirrors := flag.String("mirrors", "/work/.mirror", "where fetch put the mirrors (OWNER+NAME/repo)")
	labels := flag.String("labels", "bench/ownwords/labels.tsv", "the labelled captures")
	realpages := flag.String("realpages", "", "also bench/realpages/labels.tsv's captures (verdict and reliability only)")
	held3 := flag.String("held3", "", "a set labelled with vendor and scheme (bench/ownwords/held3.tsv, held4.tsv): verdict, vendor and scheme accuracy instead")
	dump := flag.String("dump", "", "write each converted capture into this directory")
	verbose := flag.Bool("v", false, "one line per capture")
	list := flag.Bool("list", false, "list the refusals of one recording: -list FORMAT OWNER/NAME PATH")
	flag.Parse()
	if *list {
		if flag.NArg() != 3 {
			fmt.Fprintln(os.Stderr, "usage: ownwords -list FORMAT OWNER/NAME PATH")
			os.Exit(2)
		}
		if err := listRefusals(*mirrors, flag.Arg(0), flag.Arg(1), flag.Arg(2)); err != nil {
			fmt.Fprintln(os.Stderr, "ownwords:", err)
			os.Exit(1)
		}
		return
	}
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "ownwords: -bin is required")
		os.Exit(2)
	}
	read := readLabels
	if *held3 != "" {
		read, *labels = readHeld3, *held3
	}
	ls, err := read(*labels)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ownwords:", err)
		os.Exit(2)
	}
	var rp []label
	if *realpages != "" {
		if rp, err = readRealpages(*realpages); err != nil {
			fmt.Fprintln(os.Stderr, "ownwords:", err)
			os.Exit(2)
		}
	}
	tmp, err := os.MkdirTemp("", "ownwords")
	if err != nil {
		fmt.Fprintln(os.Stderr, "ownwords:", err)
		os.Exit(2)
	}
	defer os.RemoveAll(tmp)
	if *dump != "" {
		tmp = *dump
		os.MkdirAll(tmp, 0o755)
	}
	missing := map[string]bool{}
	commits := map[string]string{}
	run := func(ls []label) []result {
		var out []result
		for i, l := range ls {
			gd := gitDir(*mirrors, l.repo)
			if gd == "" {
				missing[l.repo] = true
				continue
			}
			if _, ok := commits[l.repo]; !ok {
				c, _ := exec.Command("git", "--git-dir="+gd, "rev-parse", "--short=12", "HEAD").Output()
				commits[l.repo] = strings.TrimSpace(string(c))
			}
			r := result{label: l}
			path, rev := splitRev(l.path)
			data, err := exec.Command("git", "--git-dir="+gd, "show", rev+":"+path).Output()
			if err != nil {
				r.err = fmt.Errorf("git show %s:%s: %v", rev, path, err)
				out = append(out, r)
				continue
			}
			capt, ext, err := convert(l.format, filepath.Base(path), data)
			if err != nil {
				r.err = err
				out = append(out, r)
				continue
			}
			name := filepath.Join(tmp, fmt.Sprintf("%s-%03d-%s%s", l.set, i, strings.NewReplacer("/", "+", "+", "_").Replace(l.repo), ext))
			if err := os.WriteFile(name, capt, 0o644); err != nil {
				r.err = err
				out = append(out, r)
				continue
			}
			judge(*bin, name, &r)
			out = append(out, r)
		}
		return out
	}
	own := run(ls)
	real := run(rp)
	for _, repo := range sorted(mapKeys(missing)) {
		fmt.Fprintf(os.Stderr, "skip: %s is not mirrored under %s (fetch github:%s)\n", repo, *mirrors, repo)
	}
	if *name == "" {
		*name = *bin
	}
	if *held3 != "" {
		reportHeld3(*name, strings.TrimSuffix(filepath.Base(*held3), ".tsv"), own, commits, *verbose)
		return
	}
	report(*name, own, real, commits, *verbose)
}

func mapKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// gitDir is the mirror's git directory, "" when it is not there.
func gitDir(mirrors, repo string) string {
	base := filepath.Join(mirrors, strings.Replace(repo, "/", "+", 1), "repo")
	for _, d := range []string{filepath.Join(base, ".git"), base} {
		if st, err := os.Stat(filepath.Join(d, "objects")); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}

// judge runs the binary on one capture and keeps the exchange the label
// names (its index; the last one for a raw response).
func judge(bin, file string, r *result) {
	out, err := exec.Command(bin, "--format", "json", "--no-progress", file).Output()
	if err != nil && len(out) == 0 {
		r.err = fmt.Errorf("%s: %v", filepath.Base(bin), err)
		return
	}
	line, _, _ := bytes.Cut(out, []byte("\n"))
	var rep struct {
		Exchanges []struct {
			Index      int     `json:"index"`
			Verdict    string  `json:"verdict"`
			Vendor     *string `json:"vendor"`
			Scheme     *string `json:"scheme"`
			Confidence float64 `json:"confidence"`
			Reference  string  `json:"reference"`
			Message    *struct {
				Text string `json:"text"`
				Code string `json:"code"`
			} `json:"message"`
		} `json:"exchanges"`
	}
	if err := json.Unmarshal(line, &rep); err != nil {
		r.err = fmt.Errorf("report: %v", err)
		return
	}
	if len(rep.Exchanges) == 0 {
		r.err = fmt.Errorf("report: no exchange")
		return
	}
	x := rep.Exchanges[len(rep.Exchanges)-1]
	if r.entry >= 0 {
		found := false
		for _, e := range rep.Exchanges {
			if e.Index == r.entry {
				x, found = e, true
				break
			}
		}
		if !found {
			r.err = fmt.Errorf("report: no exchange %d (of %d)", r.entry, len(rep.Exchanges))
			return
		}
	}
	r.verdict, r.confidence, r.reference = x.Verdict, x.Confidence, x.Reference
	if x.Vendor != nil {
		r.vendor = *x.Vendor
	}
	if x.Scheme != nil {
		r.scheme = *x.Scheme
	}
	if x.Message != nil {
		r.message, r.code = x.Message.Text, x.Message.Code
	}
}

func readLabels(path string) ([]label, error) {
	return readLabelRows(path, "ownwords", "ids message", func(l *label, c []string) {
		if c[6] != "-" {
			l.ids = strings.Split(c[6], ",")
		}
		if c[7] != "-" {
			l.message = c[7]
		}
	})
}

// readLabelRows reads a tab-separated label file whose first six columns
// are repo, path[@commit], format, entry, api and verdict(s), then two
// columns of the set's own (named in cols, read by rest) and a note.
func readLabelRows(path, set, cols string, rest func(l *label, c []string)) ([]label, error) {
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
			return nil, fmt.Errorf("%s:%d: %d columns, want 9 (repo path format entry api verdict %s note)", path, n, len(c), cols)
		}
		l := label{repo: c[0], path: c[1], format: c[2], api: c[4], verdicts: strings.Split(c[5], "|"), line: n, set: set, entry: -1}
		if c[3] != "-" {
			if l.entry, err = strconv.Atoi(c[3]); err != nil {
				return nil, fmt.Errorf("%s:%d: entry %q", path, n, c[3])
			}
		}
		rest(&l, c)
		if len(c) > 8 {
			l.note = c[8]
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// readRealpages reads bench/realpages/labels.tsv (repo path status verdict
// vendor note): a HAR's entry 0, or a saved page answered with the status,
// once with Server: cloudflare and once bare, as bench/realpages.sh does.
func readRealpages(path string) ([]label, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []label
	for n, t := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "#") {
			continue
		}
		c := strings.Split(t, "\t")
		if len(c) < 4 {
			continue
		}
		l := label{repo: c[0], path: c[1], verdicts: []string{c[3]}, line: n + 1, set: "realpages", entry: 0, api: "realpages"}
		if c[2] == "har" {
			l.format = "har"
			out = append(out, l)
			continue
		}
		for _, v := range []string{"rp-cf", "rp-bare"} {
			l.format = v + ":" + c[2]
			out = append(out, l)
		}
	}
	return out, nil
}

// realpagesPage wraps a saved page as bench/realpages.sh does.
func realpagesPage(variant string, status int, page []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "GET / HTTP/1.1\r\nHost: site.example\r\nUser-Agent: python-requests/2.32.3\r\n\r\nHTTP/1.1 %d X\r\nContent-Type: text/html; charset=UTF-8\r\n", status)
	if variant == "rp-cf" {
		b.WriteString("Server: cloudflare\r\nCF-RAY: 8e1f2a3b4c5d6e7f-CDG\r\n")
	}
	b.WriteString("\r\n")
	b.Write(page)
	return b.Bytes()
}

// norm collapses white space: a quote is verbatim but may be re-wrapped.
func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// buckets of the reliability table: lower bounds.
var buckets = []struct {
	lo   float64
	name string
}{{0, "< 0.50"}, {0.5, "0.50–0.69"}, {0.7, "0.70–0.84"}, {0.85, "0.85–0.94"}, {0.95, "≥ 0.95"}}

func bucket(c float64) int {
	b := 0
	for i, x := range buckets {
		if c+1e-9 >= x.lo {
			b = i
		}
	}
	return b
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f %%", 100*float64(a)/float64(b))
}

func report(bin string, own, real []result, commits map[string]string, verbose bool) {
	right := func(r result) bool { return slices.Contains(r.verdicts, r.verdict) }
	var n, ok, idHad, idOK, msgHad, msgOK int
	apis, repos := map[string]int{}, map[string]bool{}
	// per source (repository): captures, verdicts right, ids had/quoted,
	// messages had/quoted.
	per := map[string]*[6]int{}
	var misses []string
	for _, r := range own {
		if r.err != nil {
			misses = append(misses, fmt.Sprintf("  error    %s: %v", r.label, r.err))
			continue
		}
		n++
		apis[r.api]++
		repos[r.repo] = true
		src := per[r.repo]
		if src == nil {
			src = &[6]int{}
			per[r.repo] = src
		}
		src[0]++
		if right(r) {
			ok++
			src[1]++
		} else {
			misses = append(misses, fmt.Sprintf("  verdict  %s [%s]: %s %.2f (expected %s)", r.label, r.api, r.verdict, r.confidence, strings.Join(r.verdicts, " or ")))
		}
		if len(r.ids) > 0 {
			idHad++
			var lost []string
			for _, id := range r.ids {
				if !strings.Contains(r.reference, id) {
					lost = append(lost, id)
				}
			}
			src[2]++
			if len(lost) == 0 {
				idOK++
				src[3]++
			} else {
				misses = append(misses, fmt.Sprintf("  id       %s [%s]: %s not in reference %q", r.label, r.api, strings.Join(lost, ", "), r.reference))
			}
		}
		if r.label.message != "" {
			msgHad++
			src[4]++
			switch {
			case markup.MatchString(r.message):
				misses = append(misses, fmt.Sprintf("  message  %s [%s]: quoted with its markup: %q", r.label, r.api, r.message))
			case strings.Contains(norm(r.message), norm(r.label.message)):
				msgOK++
				src[5]++
			default:
				misses = append(misses, fmt.Sprintf("  message  %s [%s]: %q not in message %q", r.label, r.api, r.label.message, r.message))
			}
		}
		if verbose {
			mark := "ok  "
			if !right(r) {
				mark = "MISS"
			}
			fmt.Printf("%s %-9s %.2f  %s [%s] ref=%q msg=%q\n", mark, r.verdict, r.confidence, r.label, r.api, r.reference, r.message)
		}
	}
	var rn, rok int
	for _, r := range real {
		if r.err != nil {
			misses = append(misses, fmt.Sprintf("  error    %s (realpages): %v", r.label, r.err))
			continue
		}
		rn++
		if right(r) {
			rok++
		} else {
			misses = append(misses, fmt.Sprintf("  verdict  %s (realpages, %s): %s %.2f (expected %s)", r.label, strings.SplitN(r.format, ":", 2)[0], r.verdict, r.confidence, strings.Join(r.verdicts, " or ")))
		}
	}
	fmt.Printf("%s: %d captures from %d repositories, %d APIs or vendors\n", bin, n, len(repos), len(apis))
	fmt.Printf("  verdict right     %3d/%-3d %s\n", ok, n, pct(ok, n))
	fmt.Printf("  ids quoted        %3d/%-3d %s  (of the refusals that carry one: every id, whole, in reference)\n", idOK, idHad, pct(idOK, idHad))
	fmt.Printf("  messages quoted   %3d/%-3d %s  (of the refusals that carry one: in message.text, without markup)\n", msgOK, msgHad, pct(msgOK, msgHad))
	if rn > 0 {
		fmt.Printf("  realpages verdict %3d/%-3d %s\n", rok, rn, pct(rok, rn))
	}
	fmt.Println("reliability (confidence → share of verdicts right)")
	fmt.Printf("  %-10s %12s %12s %12s\n", "confidence", "this set", "realpages", "both")
	for i, b := range buckets {
		var c [3][2]int
		for k, rs := range [][]result{own, real} {
			for _, r := range rs {
				if r.err != nil || bucket(r.confidence) != i {
					continue
				}
				c[k][0]++
				c[2][0]++
				if right(r) {
					c[k][1]++
					c[2][1]++
				}
			}
		}
		cell := func(x [2]int) string {
			if x[0] == 0 {
				return "-"
			}
			return fmt.Sprintf("%d/%d %3.0f%%", x[1], x[0], 100*float64(x[1])/float64(x[0]))
		}
		fmt.Printf("  %-10s %12s %12s %12s\n", b.name, cell(c[0]), cell(c[1]), cell(c[2]))
	}
	fmt.Println("per source (captures, verdict right, ids quoted, messages quoted)")
	for _, repo := range sorted(mapKeys(per)) {
		c := per[repo]
		frac := func(a, b int) string {
			if b == 0 {
				return "-"
			}
			return fmt.Sprintf("%d/%d", a, b)
		}
		fmt.Printf("  %-36s %3d %7s %7s %7s\n", repo, c[0], frac(c[1], c[0]), frac(c[3], c[2]), frac(c[5], c[4]))
	}
	fmt.Print("APIs and vendors:")
	for _, a := range sorted(mapKeys(apis)) {
		fmt.Printf(" %s %d,", a, apis[a])
	}
	fmt.Println()
	printMirrorsAndMisses(commits, misses)
}

// splitRev splits "path@commit" (a commit of 7 to 40 hex digits); a path
// alone is read at HEAD.
func splitRev(p string) (path, rev string) {
	if i := strings.LastIndexByte(p, '@'); i >= 0 && hexRev.MatchString(p[i+1:]) {
		return p[:i], p[i+1:]
	}
	return p, "HEAD"
}

var hexRev = regexp.MustCompile(`^[0-9a-f]{7,40}$`)

// markup: a quote that still holds tags was not read as the server's
// words but copied from its document (an unparsed XML error, a page).
var markup = regexp.MustCompile(`<[A-Za-z?!/][^>]*>`)

func sorted(s []string) []string { slices.Sort(s); return s }

// printMirrorsAndMisses ends a set's table: the mirrors' commits read, then
// every miss.
func printMirrorsAndMisses(commits map[string]string, misses []string) {
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
