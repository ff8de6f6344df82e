package ingest

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
)

// childEnv makes the test binary act as another process (see TestMain), so
// tests can kill a real process mid-import, hold the database from another
// process, or run out of disk space:
//
//	import|DB|FILE[|EXTRACT]  import FILE into DB (extract date YYYY-MM-DD,
//	                          default 2024-06-30), printing each phase,
//	                          engineCommitPhase when the database commits and
//	                          importedPhase when the import is done
//	import-unclosed|DB|FILE|EXTRACT  the same, with automatic checkpoints off,
//	                          and exit without closing: the import is then
//	                          only in the write-ahead log
//	inbox|DB|DIR[|PATTERN=PROFILE]  run the inbox DIR once against DB
//	hold|DB                   open DB and wait to be killed
//
// childFileLimitEnv caps the size of files the child may write (bytes), so
// writes fail as on a full disk. pauseBeforeCommitEnv names a file the child
// writes inside its import transaction, just before the commit, and then
// waits to be killed.
const (
	childEnv             = "ABSENCE_TEST_CHILD"
	childFileLimitEnv    = "ABSENCE_TEST_FILE_LIMIT"
	pauseBeforeCommitEnv = "ABSENCE_TEST_PAUSE_BEFORE_COMMIT"
	engineCommitPhase    = "engine commit"
	importedPhase        = "imported"
)

// TestMain is not a test; it chooses between running the tests and acting
// as a child process.
func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" { // a child must exit before any test starts
		os.Exit(runChild(spec))
	}
	os.Exit(m.Run())
}

func runChild(spec string) int {
	parts := strings.Split(spec, "|")
	opt := Options{}
	switch paused := os.Getenv(pauseBeforeCommitEnv); {
	case paused != "":
		opt.beforeCommit = func() {
			os.WriteFile(paused, []byte("paused"), 0o600)
			time.Sleep(time.Hour)
		}
	case parts[0] == "import":
		opt.beforeCommit = func() { fmt.Println("phase " + engineCommitPhase) }
	}
	s, err := Open(context.Background(), parts[1], opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	if limit := os.Getenv(childFileLimitEnv); limit != "" {
		n, _ := strconv.ParseUint(limit, 10, 64)
		signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG instead of killing us
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	switch parts[0] {
	case "import", "import-unclosed":
		extract := extract2024
		if len(parts) > 3 {
			if extract, err = time.Parse(time.DateOnly, parts[3]); err != nil {
				break
			}
		}
		if parts[0] == "import-unclosed" {
			if _, err = s.DB.Exec(`SET checkpoint_threshold = '1TB'`); err != nil {
				break
			}
		}
		progress := func(phase string) { fmt.Println("phase", phase) }
		if _, err = s.ImportFile(context.Background(), parts[2], ImportOptions{ExtractDate: extract, Progress: progress}); err == nil {
			progress(importedPhase)
			if parts[0] == "import-unclosed" {
				os.Exit(0) // without Close, which would checkpoint
			}
		}
	case "undo-unclosed":
		var id int64
		if id, err = strconv.ParseInt(parts[2], 10, 64); err != nil {
			break
		}
		if _, err = s.DB.Exec(`SET checkpoint_threshold = '1TB'`); err != nil {
			break
		}
		if _, err = s.Undo(context.Background(), id, UndoOptions{By: "test"}); err == nil {
			os.Exit(0) // without Close, which would checkpoint
		}
	case "inbox":
		var in *Inbox
		var rules []InboxRule
		if len(parts) > 3 {
			pattern, profile, _ := strings.Cut(parts[3], "=")
			rules = append(rules, InboxRule{pattern, profile})
		}
		if in, err = s.NewInbox(InboxOptions{Dir: parts[2], Rules: rules, StableFor: time.Millisecond}); err == nil {
			var events []InboxEvent
			events, err = in.Run(context.Background())
			for _, ev := range events {
				fmt.Printf("%s %s %s\n", ev.File, ev.Outcome, ev.Message)
			}
		}
	case "hold":
		fmt.Println("holding")
		time.Sleep(time.Hour)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// startChild starts the test binary as a child process in the given mode.
func startChild(t *testing.T, spec string, env ...string) *exec.Cmd {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(append(os.Environ(), childEnv+"="+spec), env...)
	child.Stderr = os.Stderr
	return child
}
