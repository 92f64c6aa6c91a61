package main

import (
	"net/http"

	"why401/internal/site"
)

// CSP is the page's Content-Security-Policy (see internal/site).
const CSP = site.CSP

// Handler serves the page files under root with security headers.
func Handler(root string) http.Handler { return site.Handler(root) }
