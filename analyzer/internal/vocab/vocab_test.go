package vocab

import (
	"os"
	"path/filepath"
	"testing"
)

// TestInSync: every file that states the vocabularies holds what
// vocabgen would write from the knowledge files (run go generate ./analyzer).
func TestInSync(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	files, err := Files(func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(root, p)) })
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range files {
		got, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Errorf("%s: %v (run go generate ./analyzer)", p, err)
			continue
		}
		if string(got) != string(want) {
			t.Errorf("%s is not what the knowledge files say: run go generate ./analyzer", p)
		}
	}
}

func TestGoName(t *testing.T) {
	for id, want := range map[string]string{"ok": "OK", "dpop_nonce": "DPoPNonce", "sso_required": "SSORequired",
		"invalid_dpop_proof": "InvalidDPoPProof", "refresh_credentials": "RefreshCredentials", "rate_limit": "RateLimit"} {
		if got := GoName(id); got != want {
			t.Errorf("GoName(%q) = %q, want %q", id, got, want)
		}
	}
}
