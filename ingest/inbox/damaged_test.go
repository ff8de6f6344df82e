package inbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/internal/testkit"
)

// Files a CSV reader cannot parse are bad files with a message a payroll
// administrator understands, through ImportFile and through the inbox, which
// moves them to failed/ with the reason beside them instead of trying them
// again on every run.
func TestDamagedFilesAreBadFiles(t *testing.T) {
	tests := []struct{ file, want string }{
		{"mixed_line_endings.csv", "line 3 holds a carriage return (CR) inside the row: the file mixes line endings or is damaged"},
		{"byte_flipped.csv", "line 166 holds a carriage return (CR) inside the row"},
		{"binary.csv", "line 5 holds a carriage return (CR) inside the row"},
		{"nul_bytes.csv", "line 198 contains a NUL byte: this is not a text file"},
	}
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, _, inbox := inboxFixture(t)
			mustImport(t, s, fixtures+"damaged/employments.csv", ingest.ImportOptions{})
			_, err := s.ImportFile(context.Background(), fixtures+"damaged/"+tt.file, ingest.ImportOptions{ExtractDate: extract})
			if !ingest.IsBadFile(err) || !strings.Contains(err.Error(), tt.want) || testkit.EngineText.MatchString(err.Error()) {
				t.Fatalf("err = %v\nwant a bad file saying %q, in words", err, tt.want)
			}
			var cases int
			testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM absence_cases`), &cases)
			if cases != 0 {
				t.Errorf("%d cases stored from a bad file", cases)
			}

			content, err := os.ReadFile(fixtures + "damaged/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			drop(t, inbox, tt.file, string(content), extract)
			in, err := New(s.Importer, Options{Dir: inbox})
			if err != nil {
				t.Fatal(err)
			}
			events, err := in.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 1 || events[0].Outcome != "failed" || !strings.Contains(events[0].Message, tt.want) {
				t.Fatalf("inbox events %+v, want failed with %q", events, tt.want)
			}
			reason, err := os.ReadFile(filepath.Join(inbox, FailedDir, tt.file+".error.txt"))
			if err != nil || !strings.Contains(string(reason), tt.want) || testkit.EngineText.Match(reason) {
				t.Errorf("failed/%s.error.txt = %q (%v)", tt.file, reason, err)
			}
		})
	}
}
