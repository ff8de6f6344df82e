package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Finding 10: a list with nothing in it is [] in the JSON, never null, so a
// script can loop over it without a check. Without milestone dates there is
// nothing overdue and no compliance; with a one-week horizon no deadline.
func TestTracksJSONListsAreNeverNull(t *testing.T) {
	db := outcomeDB(t, "2023-06-30", "tracks_employments.csv", "tracks_absence.csv")
	var out bytes.Buffer
	if err := outcomeReport(&out, "tracks", []string{"--db", db, "--weeks", "1", "--format", "json"}); err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"open_tracks", "deadlines", "overdue", "compliance", "definitions"} {
		if _, ok := rep[key].([]any); !ok {
			t.Errorf("%q is %v, want a list", key, rep[key])
		}
	}
}
