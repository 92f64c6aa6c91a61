// Built-in examples, written by hand (no real credentials: the token below is
// a made-up JWT whose "exp" is in November 2023).
export const EXAMPLES = [
  {
    id: "expired",
    label: "Expired token (401)",
    name: "example-expired-token.http",
    text: "GET /v1/me HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLW5vdC1yZWFs\n\nHTTP/2 401\ndate: Wed, 15 Nov 2023 10:00:00 GMT\nwww-authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"\ncontent-type: application/json\n\n{\"error\":\"invalid_token\"}\n",
  },
  {
    id: "cloudflare",
    label: "Cloudflare challenge (403)",
    name: "example-cloudflare.http",
    text: "GET /products HTTP/1.1\nHost: shop.example\nUser-Agent: python-requests/2.31.0\n\nHTTP/1.1 403 Forbidden\nServer: cloudflare\nCF-RAY: 8c0f4e7a9b1d2e3f-FRA\ncf-mitigated: challenge\nContent-Type: text/html; charset=UTF-8\n\n<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={cType:'managed'};</script><noscript>Enable JavaScript and cookies to continue</noscript></body></html>\n",
  },
  {
    id: "redirect",
    label: "HAR: redirect dropped the token",
    name: "example-redirect.har",
    text: JSON.stringify({
      log: {
        version: "1.2",
        creator: { name: "WebInspector", version: "537.36" },
        entries: [
          {
            startedDateTime: "2026-01-12T09:30:00.000Z",
            time: 41,
            request: {
              method: "GET", url: "https://api.example.com/v1/items", httpVersion: "HTTP/1.1",
              headers: [
                { name: "Host", value: "api.example.com" },
                { name: "Authorization", value: "Bearer sk_example_0123456789abcdefABCDEF" },
                { name: "Accept", value: "application/json" },
              ],
              queryString: [], cookies: [], headersSize: -1, bodySize: 0,
            },
            response: {
              status: 301, statusText: "Moved Permanently", httpVersion: "HTTP/1.1",
              headers: [
                { name: "Location", value: "https://api.example.io/v1/items" },
                { name: "Content-Length", value: "0" },
              ],
              cookies: [], content: { size: 0, mimeType: "text/plain" },
              redirectURL: "https://api.example.io/v1/items", headersSize: -1, bodySize: 0,
            },
            cache: {}, timings: { send: 1, wait: 39, receive: 1 },
          },
          {
            startedDateTime: "2026-01-12T09:30:00.050Z",
            time: 38,
            request: {
              method: "GET", url: "https://api.example.io/v1/items", httpVersion: "HTTP/1.1",
              headers: [
                { name: "Host", value: "api.example.io" },
                { name: "Accept", value: "application/json" },
              ],
              queryString: [], cookies: [], headersSize: -1, bodySize: 0,
            },
            response: {
              status: 401, statusText: "Unauthorized", httpVersion: "HTTP/1.1",
              headers: [
                { name: "WWW-Authenticate", value: "Bearer realm=\"api\"" },
                { name: "Content-Type", value: "application/json" },
              ],
              cookies: [],
              content: { size: 36, mimeType: "application/json", text: "{\"error\":\"missing bearer token\"}" },
              redirectURL: "", headersSize: -1, bodySize: 36,
            },
            cache: {}, timings: { send: 1, wait: 36, receive: 1 },
          },
        ],
      },
    }, null, 2),
  },
];
