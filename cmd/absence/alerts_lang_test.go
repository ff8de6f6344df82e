package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest/inbox"
)

// Follow-up of issue 14: an alert mail is in its recipient's configured
// language ([[alert]] language, Dutch by default), the failed import's
// too; the Dutch recipient gets the same alerts in Dutch.
func TestAlertMailsInTheRecipientsLanguage(t *testing.T) {
	db := packDB(t)
	box, addr := startMailbox(t)
	host, port, _ := net.SplitHostPort(addr)
	path := filepath.Join(t.TempDir(), "absence.toml")
	os.WriteFile(path, []byte(fmt.Sprintf(`database = %q
[suppression]
min_employees = 5
[smtp]
host = %q
port = %s
from = "verzuim@example.nl"
starttls = "off"
[[alert]]
mail = ["hr@example.nl"]
[[alert]]
mail = ["hr-en@example.nl"]
language = "en"
`, db, host, port)), 0o600)
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := openStore(ctx, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	al, err := newAlerter(cfg, store)
	if err != nil {
		t.Fatal(err)
	}
	if err := al.Evaluate(ctx); err != nil {
		t.Fatal(err)
	}
	al.ImportFailed(inbox.Event{Time: time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC), File: "afas_verzuim.csv", Outcome: "failed", Message: "the file is empty"})
	nl, en := box.to("hr@example.nl"), box.to("hr-en@example.nl")
	if len(nl) == 0 || len(en) != len(nl) {
		t.Fatalf("%d Dutch and %d English mails; want the same alerts in each", len(nl), len(en))
	}
	dutch := [][]byte{[]byte("afdeling"), []byte("verzuimtraject"), []byte("Import mislukt"), []byte("niet gelukt"), []byte("verzuimsignalen")}
	english := [][]byte{[]byte("department"), []byte("Import failed")}
	has := func(data []byte, words [][]byte) bool {
		for _, w := range words {
			if bytes.Contains(data, w) {
				return true
			}
		}
		return false
	}
	for _, m := range en {
		if has(m.data, dutch) || !has(m.data, english) {
			t.Errorf("a mail to the English recipient is not in English:\n%s", m.data)
		}
	}
	for _, m := range nl {
		if has(m.data, english) || !has(m.data, dutch) {
			t.Errorf("a mail to the Dutch recipient is not in Dutch:\n%s", m.data)
		}
	}
}
