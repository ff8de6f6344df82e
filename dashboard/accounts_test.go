package dashboard

import (
	"os"
	"path/filepath"
	"testing"
)

// A users file from before employers keeps working: its admin is the
// installation admin, every other account belongs to the default
// employer (TestAnAccountWithoutAnEmployerSeesTheDefaultEmployer).
func TestAUsersFileFromBeforeEmployers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	old := `[{"name":"admin","password_hash":"x","role":"admin"},{"name":"hr","password_hash":"x","role":"hr","lang":"en"},
		{"name":"manager","password_hash":"x","role":"manager","departments":["Zorg"]},{"name":"provider","password_hash":"x","role":"provider"}]`
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := OpenAccounts(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]Role{"admin": RoleInstallation, "hr": RoleHR, "manager": RoleManager, "provider": RoleProvider} {
		if u, ok := a.User(name); !ok || u.Access() != want || u.Employer != "" {
			t.Errorf("%s: %+v, want access %s of the default employer", name, u, want)
		}
	}
}
