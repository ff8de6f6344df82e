package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest/storage"
)

const userUsage = `usage:
  absence user add [--config FILE] [--db FILE] [--employer NAME] --role admin|hr|manager [--departments A,B] USER
  absence user add [--config FILE] [--db FILE] --role provider --provider ORG [--employers A,B] USER
  absence user remove [--config FILE] [--db FILE] USER
An account without --employer belongs to the default employer; an admin without one is the installation admin (every employer, imports, accounts).
A running dashboard picks up the change at once.`

// runUser manages dashboard accounts (userUsage).
func runUser(args []string) error {
	if len(args) > 0 && args[0] == "remove" {
		return removeUser(args[1:])
	}
	if len(args) == 0 || args[0] != "add" {
		return errors.New(userUsage)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), userUsage); fs.PrintDefaults() }
	settings := addConfigFlags(fs)
	role := fs.String("role", "hr", "admin, hr, manager or provider")
	employer := fs.String("employer", "", "the employer of an admin, HR person or manager (default: the default employer; an admin without one is the installation admin)")
	depts := fs.String("departments", "", "a manager's own departments, comma-separated")
	fs.StringVar(depts, "department", "", "the same as --departments")
	provider := fs.String("provider", "", "provider staff's organisation, as in the interventions' provider column")
	employers := fs.String("employers", "", "the employers provider staff serve, comma-separated (default: every employer)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("name one user")
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	u := dashboard.User{Name: fs.Arg(0), Role: dashboard.Role(*role), Employer: strings.TrimSpace(*employer),
		Departments: list(*depts), Provider: strings.TrimSpace(*provider), Employers: list(*employers)}
	if u.Employer != "" || len(u.Employers) > 0 || len(u.Departments) > 0 {
		if err := checkScope(cfg, &u); err != nil {
			return err
		}
	}
	accounts, err := dashboard.OpenAccounts(dashboard.AccountsPath(cfg.Database))
	if err != nil {
		return err
	}
	password, err := readPassword()
	if err != nil {
		return err
	}
	if err := accounts.PutUser(u, password); err != nil {
		return err
	}
	fmt.Printf("User %s saved: %s.\n", u.Name, describeAccount(u))
	return nil
}

// removeUser deletes an account; its sessions end with it.
func removeUser(args []string) error {
	fs := flag.NewFlagSet("user remove", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), userUsage); fs.PrintDefaults() }
	settings := addConfigFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("name one user")
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	accounts, err := dashboard.OpenAccounts(dashboard.AccountsPath(cfg.Database))
	if err != nil {
		return err
	}
	if err := accounts.Remove(fs.Arg(0)); err != nil {
		return err
	}
	fmt.Printf("User %s removed.\n", fs.Arg(0))
	return nil
}

// list splits a comma-separated flag value.
func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// checkScope refuses employers and departments the database does not
// hold, suggesting the nearest name, and spells the employers as stored.
// While the dashboard holds the database open, the departments are checked
// against the list the server writes beside it (dashboard.UnitsPath); an
// employer is then taken as given.
func checkScope(cfg config, u *dashboard.User) error {
	ctx := context.Background()
	store, err := openStore(ctx, cfg, false)
	if errors.Is(err, storage.ErrDatabaseInUse) {
		return checkDepartmentsBeside(cfg, u)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	r := store.Reader()
	for i, name := range u.Employers {
		e, err := r.EmployerByName(ctx, name)
		if err != nil {
			return err
		}
		u.Employers[i] = e.Name
	}
	e, err := r.EmployerByName(ctx, cmp.Or(u.Employer, storage.DefaultEmployer))
	if err != nil {
		return err
	}
	if u.Employer != "" {
		u.Employer = e.Name
	}
	if len(u.Departments) == 0 {
		return nil
	}
	known, err := dashboard.EmployerDepartments(ctx, r, e.ID)
	if err != nil {
		return err
	}
	return checkDepartments(e.Name, u.Departments, known)
}

// checkDepartmentsBeside checks the employer and a manager's departments
// against the list the running server wrote; without one they are saved
// unchecked, with a warning (a manager of an unknown department sees
// nothing). Provider staff's employers are taken as given.
func checkDepartmentsBeside(cfg config, u *dashboard.User) error {
	units, ok, err := dashboard.LoadUnits(cfg.Database)
	if err == nil && !ok {
		err = errors.New("the running dashboard has not listed them yet (open it once)")
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "warning: the employer and departments were not checked: %v\n", err)
		return nil
	}
	name := cmp.Or(u.Employer, storage.DefaultEmployer)
	var names []string
	for stored := range units {
		if strings.EqualFold(stored, name) {
			if u.Employer != "" {
				u.Employer = stored
			}
			if len(u.Departments) == 0 {
				return nil
			}
			return checkDepartments(stored, u.Departments, units[stored])
		}
		names = append(names, stored)
	}
	err = fmt.Errorf("employer %q: %w", name, storage.ErrUnknownEmployer)
	if near := storage.NearestName(name, names); near != "" {
		err = fmt.Errorf("%w; did you mean %q?", err, near)
	}
	return err
}

// checkDepartments refuses a department not in known, naming the nearest
// and every known one. An employer without data yet has no departments to
// check against: the account is saved, with a warning.
func checkDepartments(employer string, depts, known []string) error {
	if len(known) == 0 {
		fmt.Fprintf(os.Stderr, "warning: employer %q has no absence data yet, so the department %q was not checked (a manager of a department the exports do not have sees nothing)\n",
			employer, strings.Join(depts, `", "`))
		return nil
	}
	for _, d := range depts {
		if slices.Contains(known, d) {
			continue
		}
		msg := fmt.Sprintf("employer %q has no department %q in the last three years.", employer, d)
		if near := storage.NearestName(d, known); near != "" {
			msg = strings.TrimSuffix(msg, ".") + fmt.Sprintf("; did you mean %q?", near)
		}
		return fmt.Errorf("%s Its departments: %s.", msg, strings.Join(slices.Sorted(slices.Values(known)), ", "))
	}
	return nil
}

// describeAccount says what the account sees.
func describeAccount(u dashboard.User) string {
	switch u.Access() {
	case dashboard.RoleInstallation:
		return "installation admin (every employer, imports, accounts)"
	case dashboard.RoleProvider:
		if len(u.Employers) == 0 {
			return fmt.Sprintf("provider staff of %s, serving every employer", u.Provider)
		}
		return fmt.Sprintf("provider staff of %s, serving %s", u.Provider, strings.Join(u.Employers, ", "))
	}
	s := fmt.Sprintf("%s of %s", u.Role, cmp.Or(u.Employer, storage.DefaultEmployer))
	if len(u.Departments) > 0 {
		s += ", departments " + strings.Join(u.Departments, ", ")
	}
	return s
}

// readPassword asks on a terminal without echo, or reads a line from stdin.
func readPassword() (string, error) {
	if term.IsTerminal(int(os.Stdin.Fd())) {
		fmt.Fprint(os.Stderr, "Password: ")
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(os.Stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
