package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest/storage"
)

// reportRun is one report command: the statistics or an outcome report.
type reportRun struct {
	name string
	run  func(w io.Writer, args []string) error
	args []string
}

func outcome(kind string, args ...string) reportRun {
	return reportRun{kind, func(w io.Writer, a []string) error { return outcomeReport(w, kind, a) }, args}
}

func statisticsRun(args ...string) reportRun { return reportRun{"report", statisticsReport, args} }

// serveDB runs a server over db, with the fixtures' small groups shown
// (suppression at 5 employees, as smallGroups configures the command), and
// an HR account whose password the command reads from $ABSENCE_PASSWORD.
func serveDB(t *testing.T, db string) string {
	t.Helper()
	store, err := storage.Open(context.Background(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	accounts, _ := dashboard.OpenAccounts(dashboard.AccountsPath(db))
	accounts.Put("hr", "a-long-hr-password", dashboard.RoleHR, nil)
	accounts.Put("manager", "a-long-manager-password", dashboard.RoleManager, []string{"Zorg"})
	srv, err := dashboard.New(store, accounts, dashboard.Config{Analytics: analytics.Options{MinEmployees: 5}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	t.Setenv("ABSENCE_PASSWORD", "a-long-hr-password")
	return ts.URL
}

// Every report kind gives the same bytes, as a table, CSV and JSON, against
// the file and through a running server over the same file.
func TestReportsThroughARunningServerAreTheSame(t *testing.T) {
	landmark := outcomeDB(t, "2024-12-31", "landmark_employments.csv", "landmark_absence.csv", "landmark_interventions.csv")
	outcomes := outcomeDB(t, "2024-12-31", "outcomes_employments.csv", "outcomes_absence.csv", "outcomes_interventions.csv")
	tracks := outcomeDB(t, "2023-06-30", "tracks_employments.csv", "tracks_absence.csv", "tracks_milestones.csv")
	frequent := outcomeDB(t, "2025-06-30", "frequent_employments.csv", "frequent_absence.csv")
	for db, runs := range map[string][]reportRun{
		landmark: {
			statisticsRun("--from", "2024-01-01", "--to", "2024-12-31"),
			statisticsRun("--from", "2024-01-01", "--to", "2024-12-31", "--by", "department", "--classes", "vernet", "--cost-per-fte-day", "250"),
			outcome("survival"),
			outcome("survival", "--by", "department", "--robust"),
			outcome("progression", "--cohort", "quarter", "--weeks", "8"),
			outcome("interventions", "--landmark", "42"),
		},
		outcomes: {
			outcome("outcomes", "--from", "2023-01-01", "--by", "department", "--all-times"),
			outcome("interventions", "--relapse-index-days", "30"),
		},
		tracks:   {outcome("tracks", "--weeks", "6")},
		frequent: {outcome("frequent-to-long", "--at", "2024-01-01")},
	} {
		config := smallGroups(t)
		want := map[string]string{}
		for _, r := range runs {
			for _, format := range []string{"table", "csv", "json"} {
				var out bytes.Buffer
				if err := r.run(&out, append([]string{"--db", db, "--config", config, "--format", format}, r.args...)); err != nil {
					t.Fatalf("%s %v against the file: %v", r.name, r.args, err)
				}
				want[r.name+format+strings.Join(r.args, " ")] = out.String()
			}
		}
		url := serveDB(t, db)
		for _, r := range runs {
			for _, format := range []string{"table", "csv", "json"} {
				var out bytes.Buffer
				if err := r.run(&out, append([]string{"--server", url, "--user", "hr", "--format", format}, r.args...)); err != nil {
					t.Fatalf("%s %v through the server: %v", r.name, r.args, err)
				}
				if w := want[r.name+format+strings.Join(r.args, " ")]; out.String() != w {
					t.Errorf("%s %v --format %s: through the server\n%s\nagainst the file\n%s", r.name, r.args, format, out.String(), w)
				}
			}
		}
	}
}

// Through a server, a report names what went wrong: a wrong password, an
// account that may not read reports, flags only the file can honour.
func TestReportThroughAServerFailsClearly(t *testing.T) {
	db := outcomeDB(t, "2024-12-31", "landmark_employments.csv", "landmark_absence.csv")
	url := serveDB(t, db)
	for _, c := range []struct {
		user, password string
		args           []string
		want           string
	}{
		{"hr", "wrong", nil, `refused user "hr": wrong user name or password`},
		{"manager", "a-long-manager-password", nil, `user "manager" may not read reports`},
		{"hr", "a-long-hr-password", []string{"--min-employees", "5"}, "--min-employees cannot be used with --server"},
		{"hr", "a-long-hr-password", []string{"--explain"}, "--explain cannot be used with --server"},
	} {
		t.Setenv("ABSENCE_PASSWORD", c.password)
		err := outcomeReport(io.Discard, "survival", append([]string{"--server", url, "--user", c.user}, c.args...))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: %v; want %q", c.user, c.args, err, c.want)
		}
	}
	t.Setenv("ABSENCE_PASSWORD", "a-long-hr-password")
	err := statisticsReport(io.Discard, []string{"--server", "http://127.0.0.1:1", "--from", "2024-01-01", "--to", "2024-12-31"})
	if err == nil || !strings.Contains(err.Error(), "reach the server") {
		t.Errorf("no server: %v", err)
	}
}
