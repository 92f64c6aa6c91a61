package detect

import (
	"errors"
	"slices"
	"strconv"
	"sync"

	"why401/analyzer/internal/knowledge"
)

// listID names a word list of knowledge's words.json that a detector reads;
// listIDs gives its id there (what each list is for and where its words come
// from: analyzer/internal/knowledge/README.md). TestWordLists holds every one
// to an entry of words.json.
type listID int

const (
	// status.go
	authWords listID = iota
	anonymousWords
	permissionWords
	quotaWords
	botPageWords
	blockPageWords
	rateLimitHeaderPrefixes
	libraryUserAgents
	runtimeUserAgents
	crawlerUserAgents
	chromeRequestHeaders
	// gate.go
	gateTitles
	gateFormActions
	gateCaptchaInputs
	credentialInputs
	loginFailures
	// vendor.go
	appShellMarkers
	// edge.go
	authorizerWords
	// session.go
	apiKeyHeaders
	sessionCookieWords
	tokenKinds
	redactionWords
	placeholders
	docPlaceholderPrefixes
	// story.go
	sanitizerPlaceholders
	loginPaths
	secondLevelLabels
	credentialStrippingProducers
	// auth.go
	corporateProxyWords
	providerProxyUserWords
	// signin.go
	logoutPaths
	// secret.go
	idHeaders
	nLists
)

var listIDs = [nLists]string{
	authWords: "auth-words", anonymousWords: "anonymous-words", permissionWords: "permission-words",
	quotaWords: "quota-words", botPageWords: "bot-page-words", blockPageWords: "block-page-words",
	rateLimitHeaderPrefixes: "rate-limit-header-prefixes", libraryUserAgents: "library-user-agents",
	runtimeUserAgents: "runtime-user-agents", crawlerUserAgents: "crawler-user-agents",
	chromeRequestHeaders: "chrome-request-headers",
	gateTitles:           "gate-titles", gateFormActions: "gate-form-actions", gateCaptchaInputs: "gate-captcha-inputs",
	credentialInputs: "credential-inputs", loginFailures: "login-failures",
	appShellMarkers: "app-shell-markers", authorizerWords: "authorizer-words",
	apiKeyHeaders: "api-key-headers", sessionCookieWords: "session-cookie-words", tokenKinds: "token-kinds",
	redactionWords: "redaction-words", placeholders: "placeholders", docPlaceholderPrefixes: "doc-placeholder-prefixes",
	sanitizerPlaceholders: "sanitizer-placeholders", loginPaths: "login-paths",
	secondLevelLabels: "second-level-labels", credentialStrippingProducers: "credential-stripping-producers",
	corporateProxyWords: "corporate-proxy-words", providerProxyUserWords: "provider-proxy-user-words",
	logoutPaths: "logout-paths", idHeaders: knowledge.IDHeadersID,
}

// The words.json lists of groups the detectors read: a word leads to a value.
const (
	clientErrorsID          = "client-errors"            // value: the fixes.json fix for the client layer that failed
	queryCredentialParamsID = "query-credential-params"  // value: the scheme of the parameter
	keyHostsID              = "key-hosts"                // value: the key kind the hosts accept
	graphqlCodesID          = "graphql-error-codes"      // value: what the code means (graphql.go)
	edgeTokensID            = "edge-token-params"        // value: the edge token's family (edge.go)
	scopeKeysID             = "scope-keys"               // value: required, granted, required-header, granted-header (scope.go)
	challengeHeadersID      = "challenge-header-schemes" // value: the header a challenge scheme's credential goes in (auth.go)
)

// lists are the word lists the detectors read, loaded once on first use,
// with what is built from them once: the bounds of the API-key header names
// (the lists found in a body are bodyCatalog's).
type lists struct {
	w                    [nLists][]string
	apiKeyMin, apiKeyMax int                   // the shortest and longest api-key-headers name
	clientErrors         []knowledge.WordGroup // value: a fix id
	queryCredentials     []knowledge.WordGroup // value: a scheme
	keyHosts             []knowledge.WordGroup // value: a key kind
	graphqlCodes         []knowledge.WordGroup // value: auth, forbidden, scope or rate_limit
	edgeTokens           []knowledge.WordGroup // value: an edge token family
	scopeKeys            []knowledge.WordGroup // value: where a refusal lists scopes
	challengeHeaders     []knowledge.WordGroup // value: the header a challenge scheme's credential goes in
}

// maxAPIKeyHeaders bounds api-key-headers: requestCredentials keeps one bit
// per name it has read, in a uint64, and apiKeyHeader lowers a name of at
// most that many bytes on the stack.
const maxAPIKeyHeaders = 64

var (
	listsOnce sync.Once
	listsErr  error
	theLists  *lists
)

// loadLists reads the detectors' lists, once.
func loadLists() (*lists, error) {
	listsOnce.Do(func() { theLists, listsErr = buildLists() })
	return theLists, listsErr
}

func buildLists() (*lists, error) {
	l := &lists{}
	for i := range listIDs {
		wl, err := knowledge.WordListByID(listIDs[i], false)
		if err != nil {
			return nil, err
		}
		l.w[i] = wl.Words
	}
	for _, g := range [...]struct {
		id  string
		dst *[]knowledge.WordGroup
	}{{clientErrorsID, &l.clientErrors}, {queryCredentialParamsID, &l.queryCredentials}, {keyHostsID, &l.keyHosts}, {graphqlCodesID, &l.graphqlCodes}, {edgeTokensID, &l.edgeTokens}, {scopeKeysID, &l.scopeKeys}, {challengeHeadersID, &l.challengeHeaders}} {
		wl, err := knowledge.WordListByID(g.id, true)
		if err != nil {
			return nil, err
		}
		*g.dst = wl.Groups
	}
	keys := l.w[apiKeyHeaders]
	l.apiKeyMin = len(keys[0])
	for _, h := range keys {
		l.apiKeyMin, l.apiKeyMax = min(l.apiKeyMin, len(h)), max(l.apiKeyMax, len(h))
	}
	if len(keys) > maxAPIKeyHeaders || l.apiKeyMax > maxAPIKeyHeaders {
		return nil, errors.New("analyzer: words.json list \"api-key-headers\": at most " + strconv.Itoa(maxAPIKeyHeaders) + " names of at most as many bytes")
	}
	return l, nil
}

// groupOf returns the value of the group that lists word, or "".
func groupOf(groups []knowledge.WordGroup, word string) string {
	for _, g := range groups {
		if slices.Contains(g.Words, word) {
			return g.Value
		}
	}
	return ""
}

// noLists is what the detectors read when words.json cannot be loaded (a
// state the knowledge tests keep from shipping): no list, no match.
var noLists = &lists{}

// words returns the detectors' word lists.
func words() *lists {
	l, err := loadLists()
	if err != nil {
		return noLists
	}
	return l
}

// list returns the words of a list.
func list(id listID) []string { return words().w[id] }
