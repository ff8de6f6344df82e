package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// writeFile writes an inline fixture to a temp file and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// eventsIncrement is a profile for native event rows delivered as
// increments: each export carries what happened since the previous one.
const eventsIncrement = `
name = "events-increment"
kind = "absence"
layout = "events"
mode = "increment"
[columns]
employee_id = "employee_id"
first_sick_day = "first_sick_day"
event_date = "event_date"
event = "event"
absence_pct = "absence_pct"
end_reason = "end_reason"
`
