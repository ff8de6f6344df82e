package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/verzuim/absence/analytics/reports"
)

// addServerFlags are a report's --server and --user.
func addServerFlags(fs *flag.FlagSet) (server, user *string) {
	return fs.String("server", "", "ask a running server at this address (e.g. http://localhost:8080) instead of reading the database; same output"),
		fs.String("user", "admin", "with --server: an admin or HR account; the password comes from $ABSENCE_PASSWORD or is asked")
}

// onServer refuses the flags a report through a server cannot honour: the
// server applies its own suppression thresholds, and the SQL runs there.
func onServer(fs *flag.FlagSet, name string, explain bool) error {
	for _, f := range []string{"min-employees", "min-cases"} {
		if flagGiven(fs, f) {
			return fmt.Errorf("%s: --%s cannot be used with --server: the server hides small groups by its own configuration", name, f)
		}
	}
	if explain {
		return fmt.Errorf("%s: --explain cannot be used with --server: run it where the database is", name)
	}
	return nil
}

// reportFromServer asks a running server for a report (GET
// /api/v1/report/KIND, HTTP Basic) and reads it into the type the report
// has against the file, for the same formatting code. With an employer,
// the report is that employer's (?employer=NAME), as far as the user may
// see it.
func reportFromServer(server, user, employer string, req reports.Request) (any, error) {
	password, err := serverPassword()
	if err != nil {
		return nil, err
	}
	q := req.Query()
	if employer != "" {
		q.Set("employer", employer)
	}
	target := strings.TrimRight(server, "/") + "/api/v1/report/" + req.Kind + "?" + q.Encode()
	r, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("--server %q: %w", server, err)
	}
	r.SetBasicAuth(user, password)
	resp, err := (&http.Client{Timeout: 15 * time.Minute}).Do(r)
	if err != nil {
		return nil, fmt.Errorf("reach the server: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read the server's answer: %w", err)
	}
	var reply struct {
		Error string          `json:"error"`
		Data  json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &reply); err != nil {
		return nil, fmt.Errorf("the server answered %s, not a report (is %s an absence server?)", resp.Status, server)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return nil, fmt.Errorf("the server refused user %q: wrong user name or password", user)
	case resp.StatusCode == http.StatusForbidden && employer != "":
		return nil, fmt.Errorf("user %q may not read reports of employer %q on the server (no access, or no such employer)", user, employer)
	case resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("user %q may not read reports on the server; use an admin or HR account", user)
	case resp.StatusCode != http.StatusOK && reply.Error != "":
		return nil, errors.New(reply.Error)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("the server answered %s", resp.Status)
	}
	return reports.Decode(req.Kind, reply.Data)
}
