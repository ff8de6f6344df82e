package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/verzuim/absence/dashboard"
)

// runUser manages dashboard accounts: absence user add [--role R] [--departments A,B] NAME
func runUser(args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: absence user add [--config FILE] [--db FILE] [--role admin|hr|manager|provider] [--departments A,B] NAME")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	settings := addConfigFlags(fs)
	role := fs.String("role", "hr", "admin, hr, manager or provider")
	depts := fs.String("departments", "", "a manager's own departments, comma-separated")
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
	accounts, err := dashboard.OpenAccounts(dashboard.AccountsPath(cfg.Database))
	if err != nil {
		return err
	}
	password, err := readPassword()
	if err != nil {
		return err
	}
	var departments []string
	for _, d := range strings.Split(*depts, ",") {
		if d = strings.TrimSpace(d); d != "" {
			departments = append(departments, d)
		}
	}
	if err := accounts.Put(fs.Arg(0), password, dashboard.Role(*role), departments); err != nil {
		return err
	}
	fmt.Printf("User %s (%s) saved.\n", fs.Arg(0), *role)
	return nil
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
