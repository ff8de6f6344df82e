package testkit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/verzuim/absence/datasets/speed"
	"github.com/verzuim/absence/ingest/storage"
)

// A test binary can act as another process, so tests can kill a real
// process mid-import, hold the database from another process, or run out of
// disk space. Its TestMain calls Main with the modes its tests start by
// StartChild(t, "MODE|DB|ARGS…"): the child opens DB and runs the mode with
// the store and the arguments after DB. Every package has the mode
//
//	hold|DB   open DB and wait to be killed
//
// FileLimitEnv caps the size of files the child may write (bytes), so
// writes fail as on a full disk. PauseBeforeCommitEnv names a file the
// child writes inside its import transaction, just before the commit, and
// then waits to be killed; without it, a child in mode "import" prints
// EngineCommitPhase there.
const (
	childEnv             = "ABSENCE_TEST_CHILD"
	FileLimitEnv         = "ABSENCE_TEST_FILE_LIMIT"
	PauseBeforeCommitEnv = "ABSENCE_TEST_PAUSE_BEFORE_COMMIT"
	EngineCommitPhase    = "engine commit"
)

// Mode is what a child does with the store it opened.
type Mode func(s *storage.Store, args []string) error

// Main is a test package's TestMain: it runs the tests, or in a child
// process the child's mode.
func Main(m *testing.M, modes map[string]Mode) {
	if spec := os.Getenv(childEnv); spec != "" { // a child must exit before any test starts
		os.Exit(runChild(spec, modes))
	}
	os.Exit(m.Run())
}

// runChild runs the child's mode and, when asked (speed.ReportPeakEnv),
// reports its peak memory at the end, succeeded or not: the kernel's count
// of a child's maximum includes its parent's memory (speed.Child).
func runChild(spec string, modes map[string]Mode) int {
	code := runMode(spec, modes)
	if os.Getenv(speed.ReportPeakEnv) != "" {
		if err := speed.ReportPeak(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return code
}

func runMode(spec string, modes map[string]Mode) int {
	parts := strings.Split(spec, "|")
	mode, ok := modes[parts[0]]
	if parts[0] == "hold" {
		mode, ok = func(*storage.Store, []string) error { fmt.Println("holding"); time.Sleep(time.Hour); return nil }, true
	}
	if !ok || len(parts) < 2 {
		fmt.Fprintf(os.Stderr, "no child mode %q\n", spec)
		return 2
	}
	opt := storage.Options{}
	switch paused := os.Getenv(PauseBeforeCommitEnv); {
	case paused != "":
		opt.BeforeCommit = func() {
			os.WriteFile(paused, []byte("paused"), 0o600)
			time.Sleep(time.Hour)
		}
	case parts[0] == "import":
		opt.BeforeCommit = func() { fmt.Println("phase " + EngineCommitPhase) }
	}
	s, err := storage.Open(context.Background(), parts[1], opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	if limit := os.Getenv(FileLimitEnv); limit != "" {
		n, _ := strconv.ParseUint(limit, 10, 64)
		signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG instead of killing us
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	if err := mode(s, parts[2:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// StartChild makes the test binary a child process in the given mode; the
// caller starts it.
func StartChild(t testing.TB, spec string, env ...string) *exec.Cmd {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(append(os.Environ(), childEnv+"="+spec), env...)
	child.Stderr = os.Stderr
	return child
}

// ChildEnv is the environment entry that makes a test binary a child in
// the given mode, for tests that build their own command.
func ChildEnv(spec string) string { return childEnv + "=" + spec }

// StopCheckpoints turns DuckDB's automatic checkpoints off, so a commit
// stays in the write-ahead log until the database is closed.
func StopCheckpoints(s *storage.Store) error {
	_, err := SQL{s}.Exec(`SET checkpoint_threshold = '1TB'`)
	return err
}
