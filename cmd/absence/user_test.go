package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/verzuim/absence/dashboard"
)

// absenceWithInput runs absence with standard input.
func absenceWithInput(t *testing.T, input string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), mainArgsEnv+"="+strings.Join(args, "\n"))
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// Accounts are scoped by employer: an unknown employer or department is
// refused with the nearest name; provider staff name their organisation
// and the employers they serve, spelt as stored; an admin without an
// employer is the installation admin.
func TestUserAddScopesAccountsByEmployer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.duckdb")
	for _, args := range [][]string{
		{"import", "--db", db, "--extract-date", "2024-06-30", fixtures + "employments.csv", fixtures + "org_native_periods.csv"},
		{"employers", "add", "--db", db, "Bakkerij Jansen"},
	} {
		if code, out := absence(t, args...); code != 0 {
			t.Fatalf("absence %v: %d\n%s", args, code, out)
		}
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--employer", "Bakkerij Jansn", "--role", "hr", "anna"}, 1, `employer "Bakkerij Jansn": no such employer; did you mean "Bakkerij Jansen"?`},
		{[]string{"--role", "manager", "--departments", "Zorgg", "mia"}, 1, `employer "default" has no department "Zorgg" in the last three years; did you mean "Zorg"? Its departments: Kantoor, Zorg.`},
		{[]string{"--role", "manager", "--departments", "Zorg,Magazijn", "mia"}, 1, `employer "default" has no department "Magazijn" in the last three years. Its departments: Kantoor, Zorg.`},
		// An employer without data yet: its departments cannot be checked,
		// so the account is saved with a warning.
		{[]string{"--employer", "Bakkerij Jansen", "--role", "manager", "--departments", "Bakkerij", "bram"}, 0, `warning: employer "Bakkerij Jansen" has no absence data yet, so the department "Bakkerij" was not checked`},
		{[]string{"--role", "provider", "--employers", "Bakkerij Jansen", "piet"}, 1, "provider staff need their organisation"},
		{[]string{"--role", "hr", "--provider", "ArboPlus", "henk"}, 1, "only provider staff are given a provider"},
		{[]string{"--employer", "bakkerij jansen", "--role", "hr", "anna"}, 0, "User anna saved: hr of Bakkerij Jansen."},
		{[]string{"--role", "manager", "--departments", "Zorg", "mia"}, 0, "User mia saved: manager of default, departments Zorg."},
		{[]string{"--role", "provider", "--provider", "ArboPlus", "--employers", "BAKKERIJ JANSEN,default", "piet"}, 0, "User piet saved: provider staff of ArboPlus, serving Bakkerij Jansen, default."},
		{[]string{"--role", "admin", "root"}, 0, "User root saved: installation admin"},
	} {
		code, out := absenceWithInput(t, "a-long-password\n", append([]string{"user", "add", "--db", db}, c.args...)...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("user add %v: exit %d, want %d and %q:\n%s", c.args, code, c.code, c.want, out)
		}
	}
	accounts, err := dashboard.OpenAccounts(dashboard.AccountsPath(db))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]dashboard.Role{"anna": dashboard.RoleHR, "mia": dashboard.RoleManager, "piet": dashboard.RoleProvider, "root": dashboard.RoleInstallation} {
		if u, ok := accounts.User(name); !ok || u.Access() != want {
			t.Errorf("%s: %+v, want access %s", name, u, want)
		}
	}
	if u, _ := accounts.User("anna"); u.Employer != "Bakkerij Jansen" {
		t.Errorf("anna's employer is %q, want it spelt as stored", u.Employer)
	}
}
