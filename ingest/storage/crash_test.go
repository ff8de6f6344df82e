package storage_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// A process killed with SIGKILL inside its import transaction leaves the
// database exactly as it was, and leaves no temporary copy behind once the
// database is opened again; importing the file again then succeeds.
func TestKilledImportLeavesNoTrace(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.duckdb")
	s := openStore(t, db, storage.Options{})
	mustImport(t, s, fixtures+"employments.csv", ingest.ImportOptions{})
	before := fingerprint(t, s)
	s.Close()

	paused := filepath.Join(dir, "paused")
	child := startChild(t, "import|"+db+"|"+fixtures+"org_native_periods.csv", testkit.PauseBeforeCommitEnv+"="+paused)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	deadline := time.After(60 * time.Second)
	for waiting := true; waiting; {
		select {
		case err := <-exited:
			t.Fatalf("the child ended before the commit: %v", err)
		case <-deadline:
			child.Process.Kill()
			t.Fatal("the child never reached the commit")
		case <-time.After(20 * time.Millisecond):
			_, err := os.Stat(paused)
			waiting = err != nil
		}
	}
	if entries, _ := os.ReadDir(storage.TempDirOf(db)); len(entries) == 0 {
		t.Error("expected the killed import's temporary copy to exist before cleanup")
	}
	child.Process.Signal(syscall.SIGKILL)
	<-exited

	s = openStore(t, db, storage.Options{})
	defer s.Close()
	if after := fingerprint(t, s); after != before {
		t.Errorf("the killed import left a trace:\nbefore %s\nafter  %s", before, after)
	}
	if _, err := os.Stat(storage.TempDirOf(db)); !os.IsNotExist(err) {
		t.Errorf("temporary folder still there after reopening: %v", err)
	}
	res := mustImport(t, s, fixtures+"org_native_periods.csv", ingest.ImportOptions{ExtractDate: extract2024})
	if res.AlreadyImported || res.Cases != 5 {
		t.Errorf("re-import after the kill: already=%v cases=%d, want a fresh import of 5 cases", res.AlreadyImported, res.Cases)
	}
}

// The short version of the crash test (the full one: crash_full_test.go):
// a few kills of a small import, so the machinery is exercised in every run.
func TestKillsAtRandomMomentsLeaveOldOrNewState(t *testing.T) {
	dir := t.TempDir()
	if _, err := datasets.WriteFiles(dir, datasets.Config{Employees: 1500, Seed: 3}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	fig := runKills(t, crashSetup{files: dir, bases: 1, kills: 3})
	fig.check(t)
}

// crashSetup describes a crash experiment: an organisation's employments and
// periods up to mid-2025 make each base database; the import killed is the
// full periods export (a snapshot of the same source, replacing them).
type crashSetup struct {
	files string // folder with the native exports (datasets.FormatNative)
	bases int    // freshly built base databases, used in turn
	kills int
}

// crashFigures count the outcomes of the kills.
type crashFigures struct {
	kills     int
	old, new  int // the database showed exactly the old or the new state
	mixed     int // anything else
	broken    int // the database did not open
	rerunFail int // importing the file again failed or gave another state
	finished  int // the child finished before its kill came
	byWindow  map[string]int
	mixedBy   map[string]int
	took      time.Duration
}

func (f crashFigures) String() string {
	return fmt.Sprintf("%d kills in %s: %d old state, %d new state, %d mixed, %d would not open, %d failed re-runs (%d finished before the kill); kills per window %v, mixed per window %v",
		f.kills, f.took.Round(time.Second), f.old, f.new, f.mixed, f.broken, f.rerunFail, f.finished, f.byWindow, f.mixedBy)
}

func (f crashFigures) check(t *testing.T) {
	t.Helper()
	t.Log(f)
	if f.mixed+f.broken+f.rerunFail > 0 || f.old+f.new != f.kills {
		t.Errorf("not every kill left the old or the new state: %s", f)
	}
}

// crashBase is one base database and what the import does to it.
type crashBase struct {
	path     string
	old, new string // fingerprint before and after the import
	// How long the import took, its commit phase (the writes in the
	// transaction and the commit) and the database's commit.
	total, commit, engineCommit time.Duration
	writesLog                   bool // the database's commit wrote the write-ahead log
}

// runKills builds the base databases, times one full import on each, and
// then kills the import in a child process (pinned to one core, as under
// contention) at random moments: a third spread over the whole import, a
// third over its commit phase (the writes in the transaction and the
// commit), a third over the database's commit itself (DuckDB writing its
// checkpoint, or its log, where issue 9 found the mixed state). After each
// kill the database must open in exactly the old or the new state, and
// importing the file again must succeed and give the new state.
func runKills(t *testing.T, cfg crashSetup) crashFigures {
	t.Helper()
	started := time.Now()
	ctx := context.Background()
	employments := filepath.Join(cfg.files, "employments.csv")
	periods := filepath.Join(cfg.files, "absence_periods.csv")
	older := filepath.Join(t.TempDir(), "periods_2025.csv")
	writeOlderPeriods(t, periods, older, "2025-07-01")

	// DuckDB's recovery misbehaved with short database paths only (issue 9).
	dir, err := os.MkdirTemp("/tmp", "c")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	victim := filepath.Join(dir, "k.db")
	if len(victim) > 23 {
		t.Fatalf("database path %s is longer than 23 characters", victim)
	}

	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("ABSENCE_CRASH_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	rng := rand.New(rand.NewPCG(seed, 9))
	t.Logf("ABSENCE_CRASH_SEED=%d", seed)

	var bases []crashBase
	for b := range cfg.bases {
		base := crashBase{path: filepath.Join(dir, fmt.Sprintf("b%d.db", b))}
		s := openStore(t, base.path, storage.Options{})
		mustImport(t, s, employments, ingest.ImportOptions{ExtractDate: crashExtract})
		mustImport(t, s, older, ingest.ImportOptions{ExtractDate: crashExtract})
		base.old = fingerprint(t, s)
		s.Close()

		copyDatabase(t, base.path, victim)
		run := startKillable(t, victim, periods)
		if err := run.wait(); err != nil {
			t.Fatalf("base %d: the import without a kill failed: %v", b, err)
		}
		base.total = run.ended.Sub(run.started)
		base.commit = run.imported.Sub(run.committing)
		base.engineCommit = run.imported.Sub(run.engineCommitting)
		base.writesLog = !run.logAt.IsZero()
		base.new = openFingerprint(t, victim)
		if base.new == base.old {
			t.Fatal("the import changes nothing; the test would prove nothing")
		}
		t.Logf("base %d: import %s, commit phase %s, database commit %s, write-ahead log written: %v", b, base.total.Round(time.Millisecond),
			base.commit.Round(time.Millisecond), base.engineCommit.Round(time.Millisecond), base.writesLog)
		bases = append(bases, base)
	}

	fig := crashFigures{byWindow: map[string]int{}, mixedBy: map[string]int{}}
	for i := range cfg.kills {
		base := bases[i%len(bases)]
		copyDatabase(t, base.path, victim)
		run := startKillable(t, victim, periods)
		window := []string{"whole import", "commit phase", "database commit"}[i%3]
		var delay time.Duration
		began := run.started
		switch window {
		case "whole import":
			delay = time.Duration(rng.Int64N(int64(base.total)))
		case "commit phase":
			<-run.phase["committing"]
			began = time.Now()
			delay = time.Duration(rng.Int64N(int64(base.commit) + 1))
		default:
			<-run.phase[testkit.EngineCommitPhase]
			began = time.Now()
			delay = time.Duration(rng.Int64N(int64(base.engineCommit) + 1))
			// A commit that writes the log is killed within 20 ms of the
			// log appearing instead: there issue 9 found the mixed state.
			if base.writesLog {
				window += " (log)"
				<-run.logSeen
				began = time.Now()
				delay = time.Duration(rng.Int64N(int64(20 * time.Millisecond)))
			}
		}
		select {
		case <-time.After(delay):
			run.cmd.Process.Signal(syscall.SIGKILL)
		case <-run.done:
			fig.finished++
		}
		killed := time.Since(began)
		run.wait()
		t.Logf("kill %d: %s + %s; the child ran %s", i, window, killed.Round(time.Millisecond), run.ended.Sub(run.started).Round(time.Millisecond))
		fig.kills++
		fig.byWindow[window]++

		opened, err := storage.Open(ctx, victim, storage.Options{})
		if err != nil {
			fig.broken++
			t.Errorf("kill %d (%s): the database does not open: %v", i, window, err)
			continue
		}
		s := asTestStore(opened)
		if _, err := os.Stat(storage.TempDirOf(victim)); !os.IsNotExist(err) {
			t.Errorf("kill %d: the temporary copy of the input is still there after opening", i)
		}
		switch got := fingerprint(t, s); got {
		case base.old:
			fig.old++
		case base.new:
			fig.new++
		default:
			fig.mixed++
			fig.mixedBy[window]++
			t.Logf("kill %d (%s): mixed state\n  old %s\n  new %s\n  got %s", i, window, base.old, base.new, got)
		}
		if _, err := s.ImportFile(ctx, periods, ingest.ImportOptions{ExtractDate: crashExtract}); err != nil {
			fig.rerunFail++
			t.Errorf("kill %d: importing again failed: %v", i, err)
		} else if got := fingerprint(t, s); got != base.new {
			fig.rerunFail++
			t.Errorf("kill %d: importing again gave another state than the import without a kill:\n  new %s\n  got %s", i, base.new, got)
		}
		s.Close()
	}
	fig.took = time.Since(started)
	return fig
}

var crashExtract = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// killable is an import running in a child process, pinned to one core.
type killable struct {
	cmd                                                    *exec.Cmd
	started, committing, engineCommitting, imported, ended time.Time
	phase                                                  map[string]chan struct{} // closed when the phase begins, or the child ends
	logAt                                                  time.Time                // when the database's commit began the write-ahead log
	logSeen                                                chan struct{}            // closed then, or when the child has ended
	done                                                   chan struct{}            // closed when the child has ended
	err                                                    error
}

func startKillable(t *testing.T, db, file string) *killable {
	t.Helper()
	args := []string{os.Args[0], "-test.run=^$"}
	if taskset, err := exec.LookPath("taskset"); err == nil {
		args = append([]string{taskset, "-c", strconv.Itoa(runtime.NumCPU() - 1)}, args...)
	} else {
		t.Log("taskset not found: the child is not pinned to one core")
	}
	k := &killable{done: make(chan struct{}), logSeen: make(chan struct{}), phase: map[string]chan struct{}{}}
	at := map[string]*time.Time{"committing": &k.committing, testkit.EngineCommitPhase: &k.engineCommitting, importedPhase: &k.imported}
	for name := range at {
		k.phase[name] = make(chan struct{})
	}
	k.cmd = exec.Command(args[0], args[1:]...)
	k.cmd.Env = append(os.Environ(), testkit.ChildEnv("import|"+db+"|"+file+"|"+crashExtract.Format(time.DateOnly)))
	k.cmd.Stderr = os.Stderr
	out, err := k.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	k.started = time.Now()
	if err := k.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // the phases the child prints
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			name := strings.TrimPrefix(sc.Text(), "phase ")
			if ch, ok := k.phase[name]; ok && at[name].IsZero() {
				*at[name] = time.Now()
				close(ch)
			}
		}
		io.Copy(io.Discard, out)
		k.err = k.cmd.Wait()
		k.ended = time.Now()
		for name, ch := range k.phase {
			if at[name].IsZero() {
				close(ch)
			}
		}
		close(k.done)
	}()
	go func() { // the write-ahead log appearing during the database's commit
		defer close(k.logSeen)
		<-k.phase[testkit.EngineCommitPhase]
		for {
			if _, err := os.Stat(db + ".wal"); err == nil {
				k.logAt = time.Now()
				return
			}
			select {
			case <-k.done:
				return
			case <-time.After(200 * time.Microsecond):
			}
		}
	}()
	return k
}

func (k *killable) wait() error {
	<-k.done
	<-k.logSeen
	return k.err
}

// copyDatabase replaces dst (and its write-ahead log, key and temporary
// folder) with a copy of the closed database src and its key.
func copyDatabase(t *testing.T, src, dst string) {
	t.Helper()
	for _, suffix := range []string{"", ".wal", ".key", ".import-tmp", ".tmp"} {
		if err := os.RemoveAll(dst + suffix); err != nil {
			t.Fatal(err)
		}
	}
	for _, suffix := range []string{"", ".key"} {
		b, err := os.ReadFile(src + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func openFingerprint(t *testing.T, db string) string {
	t.Helper()
	s := openStore(t, db, storage.Options{})
	defer s.Close()
	return fingerprint(t, s)
}

// writeOlderPeriods writes the rows of a native periods file that start
// before day (YYYY-MM-DD): an earlier export of the same organisation.
func writeOlderPeriods(t *testing.T, from, to, day string) {
	t.Helper()
	lines := strings.SplitAfter(string(mustRead(t, from)), "\n")
	var out strings.Builder
	out.WriteString(lines[0])
	for _, l := range lines[1:] {
		if f := strings.SplitN(l, ",", 4); len(f) > 2 && f[2] < day {
			out.WriteString(l)
		}
	}
	if err := os.WriteFile(to, []byte(out.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}
