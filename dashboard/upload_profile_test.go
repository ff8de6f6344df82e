package dashboard

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An upload's profile is one of the built-in profiles the form offers,
// never a file on the server: a path in the field must not have the server
// read that file, nor quote any of it back.
func TestUploadProfileIsNeverAServerFile(t *testing.T) {
	site := newTestSiteSized(t, 20)
	secret := filepath.Join(t.TempDir(), "secret.toml")
	if err := os.WriteFile(secret, []byte("name = \"geheim-Qz7\"\nkind = \"nonsense\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	upload := filepath.Join(t.TempDir(), "employments.csv")
	if err := os.WriteFile(upload, []byte("employee_id,start_date\nE1,2020-01-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, profile := range []string{secret, "../../../../" + secret, "no-such-profile"} {
		req := multipartPost(t, site.url+"/api/v1/imports", upload, map[string]string{"profile": profile, "dry_run": "true"})
		req.SetBasicAuth("admin", site.password)
		code, body := call(t, noRedirects, req)
		if code != http.StatusBadRequest {
			t.Errorf("profile %q: HTTP %d, want 400 (%s)", profile, code, body)
		}
		if strings.Contains(body, "geheim-Qz7") || strings.Contains(body, "nonsense") {
			t.Errorf("profile %q: the answer quotes the server's file: %s", profile, body)
		}
		if !strings.Contains(body, "native-periods") {
			t.Errorf("profile %q: the answer does not name the profiles to choose from: %s", profile, body)
		}
	}
}
