package httpcheck_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"why401/httpcheck"
)

// A scraper that refreshes its token on an auth failure and backs off on a
// rate limit, and would rotate its session on a bot block: the decision
// comes from the response itself, not from its status code.
func Example() {
	api := exampleAPI() // a local API: wants a fresh token, then rate-limits once
	defer api.Close()

	token := "at_3c2f8e1b7a9d4e6f0a1b2c3d"                            // expired, as it turns out
	refresh := func() string { return "at_9e8d7c6b5a4f3e2d1c0b9a8f" } // a real client asks its token endpoint
	sleep := func(d time.Duration) { fmt.Println("waiting", d) }      // a real scraper: time.Sleep(d)

	client := &http.Client{Transport: &httpcheck.Transport{}}
	for range 5 {
		req, _ := http.NewRequest("GET", api.URL+"/v1/items", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body) // the whole body, though the transport read its start
		resp.Body.Close()
		res, failed := httpcheck.FromContext(resp.Request.Context())
		if !failed {
			fmt.Println(resp.StatusCode, strings.TrimSpace(string(body)))
			return
		}
		fmt.Println(resp.StatusCode, res.Verdict, res.Cause, "→", res.Action)
		switch res.Action {
		case httpcheck.RefreshCredentials:
			token = refresh()
		case httpcheck.SlowDown:
			sleep(res.RetryAfter)
		case httpcheck.RotateSession:
			client = &http.Client{Transport: &httpcheck.Transport{}} // new cookies, new proxy, …
		case httpcheck.Retry:
		default: // Stop, FixProxy, None: retrying as is will not help
			fmt.Println(res.Exchange.Summary)
			return
		}
	}
	// Output:
	// 401 auth expired_token → refresh_credentials
	// 429 rate_limit rate_limit → slow_down
	// waiting 2s
	// 200 ["widget","gadget"]
}

// AnalyzeResponse on a response from any client: here a challenge page.
func ExampleAnalyzeResponse() {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "cloudflare")
		w.Header().Set("Cf-Mitigated", "challenge")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>")
	}))
	defer site.Close()

	resp, err := http.Get(site.URL + "/catalog")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	res, err := httpcheck.AnalyzeResponse(resp)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Action, res.Verdict, res.Cause, res.Exchange.Vendor)
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(len(body), "bytes still readable")
	// Output:
	// rotate_session bot challenge cloudflare
	// 85 bytes still readable
}

// exampleAPI answers 401 (expired token) until the fresh token comes, then
// 429 once, then the items.
func exampleAPI() *httptest.Server {
	limited := false
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Header.Get("Authorization") != "Bearer at_9e8d7c6b5a4f3e2d1c0b9a8f":
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="The access token expired"`)
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_token"}`)
		case !limited:
			limited = true
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":"rate_limited"}`)
		default:
			io.WriteString(w, `["widget","gadget"]`)
		}
	}))
}
