package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/dashboard/pagecost"
	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest/storage"
)

// The README's speed table: for an organisation of each size, generated
// with 6 years of history, the product against plain DuckDB, interleaved,
// medians of the rounds (speed_full_test.go runs it; the test below, a tiny
// one). The configuration is the CLI's ($ABSENCE_CONFIG, $ABSENCE_MEMORY_LIMIT
// and the other variables, else the defaults).

var speedExtract = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// TestSpeedTableSmall runs the speed table on a tiny organisation, one
// round: every row is there, with a time on each side and a finite ratio.
func TestSpeedTableSmall(t *testing.T) {
	t.Setenv("ABSENCE_BENCH_DIR", t.TempDir())
	rows := speedRows(t, 300, 1, func(speed.Row) {})
	pages := pagecost.Pages(pagecost.Scope{Extract: speedExtract})
	if want := 4 + len(pages); len(rows) != want {
		t.Fatalf("%d rows, want %d", len(rows), want)
	}
	for _, r := range rows {
		if r.Failed != nil || r.Ours <= 0 || r.Plain <= 0 || math.IsNaN(r.Ratio()) || math.IsInf(r.Ratio(), 0) {
			t.Errorf("%s: ours %v, plain %v, ratio %v, failed: %v", r.What, r.Ours, r.Plain, r.Ratio(), r.Failed)
		}
	}
	for _, r := range rows[:2] { // the import and the re-import
		if r.OursRSS <= 0 || r.PlainRSS <= 0 {
			t.Errorf("%s: peak memory ours %d, plain %d bytes", r.What, r.OursRSS, r.PlainRSS)
		}
	}
	var out bytes.Buffer
	speed.Markdown(&out, 1, rows)
	for _, pg := range pages {
		if !strings.Contains(out.String(), "`"+pg.Path+"`") {
			t.Errorf("the table has no row for %s:\n%s", pg.Path, out.String())
		}
	}
}

// speedRows measures an organisation of employees in rounds interleaved
// rounds: the import of its absence periods, the import of a corrected
// export of them, the KPI set, the 60-month trend, and every page that
// computes figures, but the rows named in skip ("import": imported once and
// not timed, "reimport", "kpis", "trend", a page's name).
// each is called with every row once it is measured.
func speedRows(t testing.TB, employees, rounds int, each func(speed.Row), skip ...string) []speed.Row {
	t.Helper()
	ctx := context.Background()
	files, err := datasets.BenchFiles(datasets.Config{Employees: employees, Seed: 7, Years: 6, ExtractDate: speedExtract})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	importRounds := rounds
	if slices.Contains(skip, "import") { // imported once, for the pages, not timed
		importRounds = 1
	}
	row, db := importRow(t, files, employees, importRounds)
	cfg.Database = db
	store, err := openStore(ctx, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var rows []speed.Row
	add := func(r speed.Row) {
		each(r)
		rows = append(rows, r)
	}
	if !slices.Contains(skip, "import") {
		add(row)
	}
	if !slices.Contains(skip, "reimport") {
		add(reimportRow(t, files, db, employees, rounds))
	}
	year := analytics.Filter{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)}
	if !slices.Contains(skip, "kpis") {
		add(compare(t, employees, rounds, "KPI set 2025 vs one plain query", "≤ 1.5×",
			func() error { _, err := analytics.KPIs(ctx, store.Reader(), year, cfg.analyticsOptions()); return err },
			func() error {
				_, _, _, _, err := speed.PlainKPIs(ctx, store.Reader(), year.From, year.To, speedExtract)
				return err
			}))
	}
	trend := analytics.Filter{From: speedExtract.AddDate(-5, 0, 1), To: speedExtract}
	if !slices.Contains(skip, "trend") {
		add(compare(t, employees, rounds, "60-month trend vs plain range join per month", "no slower",
			func() error {
				_, err := analytics.Series(ctx, store.Reader(), trend, analytics.Monthly, cfg.analyticsOptions())
				return err
			},
			func() error {
				_, err := speed.PlainTrend(ctx, store.Reader(), trend.From, trend.To, speedExtract)
				return err
			}))
	}
	pageRows(t, cfg, store, employees, rounds, skip, add)
	return rows
}

// compare times ours against plain, interleaved. A side that fails leaves
// the row without times, saying why, and the table goes on.
func compare(t testing.TB, employees, rounds int, what, target string, ours, plain func() error) speed.Row {
	t.Helper()
	load := speed.Load()
	row := speed.Row{Employees: employees, What: what, Target: target}
	times, err := speed.Interleave(rounds, speed.Timed(plain), speed.Timed(ours))
	if err == nil {
		row.Plain, row.Ours = speed.Median(times[0]), speed.Median(times[1])
	}
	row.Load, row.Failed = [2]float64{load, speed.Load()}, err
	return row
}

// importRow times the import of the absence periods by the absence
// command, in a process of its own, against DuckDB's plain read_csv of the
// same file into a new database, in a process of its own: each from the
// start of its process to its end, so both open and close (checkpoint) a
// database. The import goes into a copy of a database that holds the
// employments. It returns the row and the database of the last import.
func importRow(t testing.TB, files string, employees, rounds int) (speed.Row, string) {
	t.Helper()
	employments := filepath.Join(t.TempDir(), "employments.duckdb")
	if _, _, err := speed.Child(absenceCommand("import", "--db", employments, "--extract-date", speedExtract.Format(time.DateOnly), filepath.Join(files, "employments.csv"))); err != nil {
		t.Fatal(err)
	}
	row, db := timeImport(t, filepath.Join(files, "absence_periods.csv"), employments, speedExtract, rounds)
	row.Employees = employees
	row.What = fmt.Sprintf("import of %s absence periods (`absence import`) vs `CREATE TABLE AS FROM read_csv(file)`, each a process", row.What)
	return row, db
}

// reimportRow times the import of a corrected export, the nightly case: the
// same periods file with its last 1% of rows left out, into a copy of db
// (which holds the full file), so the import compares every case with the
// stored ones and replaces the few that changed.
func reimportRow(t testing.TB, files, db string, employees, rounds int) speed.Row {
	t.Helper()
	row, last := timeImport(t, correctedExport(t, files), db, speedExtract, rounds)
	os.Remove(last)
	os.Remove(storage.KeyPath(last))
	row.Employees = employees
	row.What = fmt.Sprintf("import of the same export without its last 1%% of rows (%s absence periods) into the database holding it (`absence import`: compared with the stored cases) vs `CREATE TABLE AS FROM read_csv(file)`, each a process", row.What)
	return row
}

// correctedExport writes the absence periods of files without their last
// 1% of rows, the nightly re-import's file, and returns its path.
func correctedExport(t testing.TB, files string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(files, "absence_periods.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	corrected := filepath.Join(t.TempDir(), "absence_periods.csv")
	if err := os.WriteFile(corrected, bytes.Join(lines[:len(lines)-len(lines)/100], nil), 0o600); err != nil {
		t.Fatal(err)
	}
	return corrected
}

// timeImport times `absence import` of periods into copies of base against
// the plain load of the same file, interleaved, and returns the row (What
// holds the file's number of rows) and the database of the last import.
func timeImport(t testing.TB, periods, base string, extract time.Time, rounds int) (speed.Row, string) {
	t.Helper()
	dir := t.TempDir()
	var db string
	var rss [2][]int64
	n := 0
	side := func(i int, cmd func() *exec.Cmd) func() (time.Duration, error) {
		return func() (time.Duration, error) {
			took, peak, err := speed.Child(cmd())
			rss[i] = append(rss[i], peak)
			return took, err
		}
	}
	load := speed.Load()
	times, err := speed.Interleave(rounds,
		side(0, func() *exec.Cmd {
			n++
			plain := filepath.Join(dir, fmt.Sprintf("plain-%d.duckdb", n))
			t.Cleanup(func() { os.Remove(plain) })
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), plainLoadEnv+"="+periods+"\n"+plain)
			return cmd
		}),
		side(1, func() *exec.Cmd {
			if db != "" { // only the last is kept, for the figures
				os.Remove(db)
				os.Remove(storage.KeyPath(db))
			}
			db = filepath.Join(dir, fmt.Sprintf("import-%d.duckdb", n))
			for _, f := range [][2]string{{base, db}, {storage.KeyPath(base), storage.KeyPath(db)}} {
				if err := copyFile(f[0], f[1]); err != nil {
					t.Fatal(err)
				}
			}
			return absenceCommand("import", "--db", db, "--extract-date", extract.Format(time.DateOnly), periods)
		}))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := countLines(periods)
	if err != nil {
		t.Fatal(err)
	}
	return speed.Row{Target: "≤ 2×; peak RSS ≤ 1.2 GB", What: speed.Thousands(lines - 1),
		Plain: speed.Median(times[0]), Ours: speed.Median(times[1]), PlainRSS: speed.Median(rss[0]), OursRSS: speed.Median(rss[1]),
		Load: [2]float64{load, speed.Load()}}, db
}

// absenceCommand is the absence command with args, run by the test binary
// (TestMain).
func absenceCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), mainArgsEnv+"="+strings.Join(args, "\n"))
	return cmd
}

// plainLoadChild is the plain side of the import (TestMain): DuckDB's
// read_csv of the file into a table of a new database, with the memory
// limit and threads the absence command opens its database with.
func plainLoadChild(v string) int {
	csv, path, _ := strings.Cut(v, "\n")
	cfg, err := loadConfig("")
	if err == nil {
		q := url.Values{"memory_limit": {cfg.Performance.MemoryLimit}}
		if cfg.Performance.Threads > 0 {
			q.Set("threads", strconv.Itoa(cfg.Performance.Threads))
		}
		var db *sql.DB
		if db, err = sql.Open("duckdb", path+"?"+q.Encode()); err == nil {
			err = errors.Join(speed.PlainLoad(context.Background(), db, csv), db.Close())
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "plain load:", err)
		return 1
	}
	return 0
}

// pageRows times every page that computes figures, each served over HTTP
// by a new server (an empty cache) on the store, against the analytics
// calls it needs made directly.
func pageRows(t testing.TB, cfg config, store *storage.Store, employees, rounds int, skip []string, add func(speed.Row)) {
	t.Helper()
	ctx := context.Background()
	accounts, err := dashboard.OpenAccounts(filepath.Join(t.TempDir(), "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	const password = "a-long-speed-password"
	for _, u := range []dashboard.User{{Name: "hr", Role: dashboard.RoleHR}, {Name: "provider", Role: dashboard.RoleProvider, Provider: datasets.DemoProvider}} {
		if err := accounts.PutUser(u, password); err != nil {
			t.Fatal(err)
		}
	}
	dcfg := cfg.dashboardConfig(store)
	dcfg.SessionSecret = []byte("the speed table's session secret")  // a login holds on every new server
	dcfg.WidgetTimeout, dcfg.QueueTimeout = 3*time.Hour, 3*time.Hour // the whole page, never "being computed"
	serve := func() (*dashboard.Server, *httptest.Server) {
		srv, err := dashboard.New(store, accounts, dcfg)
		if err != nil {
			t.Fatal(err)
		}
		return srv, httptest.NewServer(srv.Handler())
	}
	clients := map[string]*http.Client{}
	srv, ts := serve()
	for _, user := range []string{"hr", "provider"} {
		clients[user] = loggedIn(t, ts.URL, user, password)
	}
	ts.Close()
	srv.Close()
	for _, pg := range pagecost.Pages(pagecost.Scope{Extract: speedExtract, Employers: []int64{storage.DefaultEmployerID}, Provider: datasets.DemoProvider, Options: dcfg.Analytics}) {
		if slices.Contains(skip, pg.Name) {
			continue
		}
		add(compare(t, employees, rounds, fmt.Sprintf("page `%s`", pg.Path), "≤ 1.5×",
			func() error {
				srv, ts := serve()
				defer srv.Close()
				defer ts.Close()
				resp, err := clients[pg.Role].Get(ts.URL + pg.Path)
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				if err != nil {
					return err
				}
				if resp.StatusCode != http.StatusOK {
					return fmt.Errorf("status %d", resp.StatusCode)
				}
				return pagecost.Shown(body)
			},
			func() error { return pg.Analytics(ctx, store.Reader()) }))
	}
}

// loggedIn is a client logged in as user through the login form.
func loggedIn(t testing.TB, base, user, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	var csrf string
	for _, c := range jar.Cookies(u) {
		if c.Name == "absence_login_csrf" {
			csrf = c.Value
		}
	}
	resp, err = client.PostForm(base+"/login", url.Values{"username": {user}, "password": {password}, "csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login as %s: status %d", user, resp.StatusCode)
	}
	return client
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func countLines(path string) (int, error) {
	data, err := os.ReadFile(path)
	return bytes.Count(data, []byte{'\n'}), err
}
