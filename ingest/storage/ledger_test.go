package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest"
)

func TestImportHistoryAndRejectedRows(t *testing.T) {
	s := openTestStore(t)
	v0, _ := s.DataVersion(context.Background())
	mustImport(t, s, fixtures+"employments.csv", ingest.ImportOptions{})
	afas, _ := ingest.LoadProfile("afas-verloop")
	res := mustImport(t, s, fixtures+"messy_afas_verzuim.csv", ingest.ImportOptions{Profile: afas, ExtractDate: extract2024})
	if _, err := s.ImportFile(context.Background(), writeFile(t, "e.csv", ""), ingest.ImportOptions{}); err == nil {
		t.Fatal("empty file imported")
	}
	history, err := s.Imports(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	// The failed import recorded itself, newest first.
	if len(history) != 3 || history[0].Status != "failed" || history[0].File != "e.csv" || !strings.Contains(history[0].Message, "is empty (0 bytes)") {
		t.Errorf("history %+v; want the empty file's failure first", history)
	}
	if len(history) < 2 || history[1].ID != res.ImportID || history[1].Rejected != 8 || history[1].Duplicate != 1 || history[1].File != "messy_afas_verzuim.csv" {
		t.Errorf("history %+v", history)
	}
	rows, err := s.RejectedRows(context.Background(), res.ImportID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 9 || rows[0].Line != 6 || rows[0].File != "messy_afas_verzuim.csv" {
		t.Errorf("rejected rows %v", rows)
	}
	if v, _ := s.DataVersion(context.Background()); v != res.ImportID || v == v0 {
		t.Errorf("data version %d, want %d", v, res.ImportID)
	}
}
