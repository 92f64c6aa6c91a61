package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"strings"

	"why401/bench/internal/har"
)

// idName: a header that looks like it holds a request, trace or error id
// (for exploring only; the labels say which ids a report must quote).
var idName = regexp.MustCompile(`(?i)(request|req|trace|correlation|error)[-_]?id|amz-id-2|cf-ray|audit-id`)

// listRefusals prints the refusals (status >= 400, or a 200 whose body
// reads as an error) of one recording: index, status, method, URL, id
// headers and the start of the body, to help write labels.
func listRefusals(mirrors, format, repo, path string) error {
	gd := gitDir(mirrors, repo)
	if gd == "" {
		return fmt.Errorf("%s is not mirrored under %s (fetch github:%s)", repo, mirrors, repo)
	}
	p, rev := splitRev(path)
	data, err := exec.Command("git", "--git-dir="+gd, "show", rev+":"+p).Output()
	if err != nil {
		return fmt.Errorf("git show %s:%s: %v", rev, p, err)
	}
	kind, _, _ := strings.Cut(format, ":")
	var xs []exchange
	switch kind {
	case "md":
		for i, b := range httpBlocks(data) {
			first, rest, _ := strings.Cut(b, "\n")
			if len(rest) > 300 {
				rest = rest[:300]
			}
			fmt.Printf("md:%d\t%s\t%s\n", i, first, strings.Join(strings.Fields(rest), " "))
		}
		return nil
	case "har":
		var h struct {
			Log struct {
				Entries []struct {
					Request struct {
						Method, URL string
					}
					Response struct {
						Status  int
						Headers []har.Header
						Content struct{ Text string }
					}
				}
			}
		}
		if err := json.Unmarshal(data, &h); err != nil {
			return err
		}
		for _, e := range h.Log.Entries {
			x := exchange{method: e.Request.Method, url: e.Request.URL, status: e.Response.Status, respBody: []byte(e.Response.Content.Text)}
			for _, hh := range e.Response.Headers {
				x.respHeaders = append(x.respHeaders, [2]string{hh.Name, hh.Value})
			}
			xs = append(xs, x)
		}
	default:
		if xs, err = exchanges(kind, data); err != nil {
			return err
		}
	}
	for i, x := range xs {
		body := string(decodeBody(x.respBody, ""))
		errorish := strings.Contains(body, `"error`) || strings.Contains(body, `"ok":false`) || strings.Contains(body, `"ok": false`)
		if x.status < 400 && !(x.status == 200 && errorish && len(body) < 2000) {
			continue
		}
		var ids []string
		for _, h := range x.respHeaders {
			if idName.MatchString(h[0]) {
				ids = append(ids, h[0]+"="+h[1])
			}
		}
		if len(body) > 300 {
			body = body[:300]
		}
		fmt.Printf("%d\t%d\t%s %s\t%s\t%s\n", i, x.status, x.method, x.url, strings.Join(ids, " "), strings.Join(strings.Fields(body), " "))
	}
	return nil
}
