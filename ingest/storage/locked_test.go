package storage_test

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/verzuim/absence/ingest/storage"
)

// While another process holds the database, opening it says who has it.
func TestDatabaseLockedByAnotherProcess(t *testing.T) {
	db := filepath.Join(t.TempDir(), "locked.duckdb")
	child := startChild(t, "hold|"+db)
	stdout, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { child.Process.Signal(syscall.SIGKILL); child.Wait() }()
	buf := make([]byte, 7)
	if _, err := stdout.Read(buf); err != nil || string(buf) != "holding" {
		t.Fatalf("child: %q %v", buf, err)
	}
	_, err := storage.Open(context.Background(), db, storage.Options{})
	if err == nil || !strings.Contains(err.Error(), "in use by another program") || !strings.Contains(err.Error(), "import through the running server") {
		t.Errorf("err = %v", err)
	}
}
