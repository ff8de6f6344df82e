package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest/inbox"
	"github.com/verzuim/absence/ingest/storage"
)

// mailbox is a real SMTP server in the test process that keeps every
// message it receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []received
}

type received struct {
	to   []string
	data []byte
}

func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: m}, nil }

type mailSession struct {
	box *mailbox
	to  []string
}

func (s *mailSession) Reset()                                    { s.to = nil }
func (s *mailSession) Logout() error                             { return nil }
func (s *mailSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.msgs = append(s.box.msgs, received{to: s.to, data: b})
	return err
}

func (m *mailbox) to(addr string) []received {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []received
	for _, r := range m.msgs {
		if strings.Contains(strings.Join(r.to, ","), addr) {
			out = append(out, r)
		}
	}
	return out
}

func startMailbox(t *testing.T) (*mailbox, string) {
	t.Helper()
	box := &mailbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return box, ln.Addr().String()
}

// attachments are the files of a MIME message, by name.
func attachments(t *testing.T, raw []byte) map[string][]byte {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if name := p.FileName(); name != "" {
			b, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
			out[name] = b
		}
	}
}

// The scheduled pack of the previous month reaches the mail server once,
// with the PDF attached; every alert reaches the webhook and the mail
// server once, however often the rules run, and names no person.
func TestScheduledPackAndAlertsArriveOnce(t *testing.T) {
	db := packDB(t)
	box, addr := startMailbox(t)
	var hooks []map[string]any
	var hookMu sync.Mutex
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v map[string]any
		json.NewDecoder(r.Body).Decode(&v)
		hookMu.Lock()
		hooks = append(hooks, v)
		hookMu.Unlock()
	}))
	defer hook.Close()
	host, port, _ := net.SplitHostPort(addr)
	path := filepath.Join(t.TempDir(), "absence.toml")
	os.WriteFile(path, []byte(fmt.Sprintf(`database = %q
dashboard_url = "https://verzuim.example.nl"
[suppression]
min_employees = 5
[webhook]
url = %q
[smtp]
host = %q
port = %s
from = "verzuim@example.nl"
starttls = "off"
[[pack]]
schedule = "monthly on day 3"
mail = ["directie@example.nl"]
[[alert]]
webhook = true
mail = ["hr@example.nl"]
`, db, hook.URL, host, port)), 0o600)
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
	srv, err := dashboard.New(store, dashboard.ReplicaAccounts(), cfg.dashboardConfig(store))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	mailer, _ := cfg.mailer()

	if err := cfg.Packs[0].run(ctx, srv, mailer, time.Date(2026, 7, 3, 6, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	packs := box.to("directie@example.nl")
	if len(packs) != 1 {
		t.Fatalf("the pack should arrive once, got %d mails", len(packs))
	}
	pdf := attachments(t, packs[0].data)["verzuimrapportage-2026-06.pdf"]
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("the mail should carry the June pack as PDF; attachments: %v", mapsKeys(attachments(t, packs[0].data)))
	}

	al, err := newAlerter(cfg, store)
	if err != nil {
		t.Fatal(err)
	}
	failed := inbox.Event{Time: time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC), File: "afas_verzuim.csv", Outcome: "failed",
		Message: "it would remove 60% of the absence cases of source \"afas\""}
	for range 2 {
		if err := al.Evaluate(ctx); err != nil {
			t.Fatal(err)
		}
		al.ImportFailed(failed)
	}
	sent, err := store.Reader().Alerts(ctx, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]int{}
	for _, a := range sent {
		rules[a.Rule]++
	}
	if rules["poortwachter_overdue"] == 0 || rules["import_failed"] != 1 {
		t.Errorf("expected overdue steps and one failed import among the alerts, got %v", rules)
	}
	t.Logf("alerts sent: %v", rules)
	mails := box.to("hr@example.nl")
	if len(hooks) != len(sent) || len(mails) != len(sent) {
		t.Errorf("each of the %d alerts should reach the webhook and the mail once: %d posts, %d mails", len(sent), len(hooks), len(mails))
	}
	employees := pseudonyms(t, store)
	for _, m := range mails {
		for _, id := range employees {
			if bytes.Contains(m.data, []byte(id)) {
				t.Fatalf("an alert mail names a person by pseudonym %s:\n%s", id, m.data)
			}
		}
	}
	for _, h := range hooks {
		if link, _ := h["link"].(string); h["rule"] != "import_failed" && !strings.HasPrefix(link, "https://verzuim.example.nl/") {
			t.Errorf("an alert should link to the dashboard: %v", h)
		}
	}
}

func pseudonyms(t *testing.T, store *storage.Store) []string {
	rows, err := store.Reader().QueryContext(context.Background(), `SELECT DISTINCT pseudonym FROM employments JOIN employees USING (employee_key)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

func mapsKeys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestPackScheduleAsCron(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"monthly on day 3", "0 6 3 * *", ""},
		{"0 7 1 * *", "0 7 1 * *", ""},
		{"monthly on day 31", "", "from 1 to 28"},
		{"every month", "", "monthly on day 3"},
	} {
		got, err := packSchedule{Schedule: c.in}.cron()
		if got != c.want || (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("%q: %q, %v; want %q, error with %q", c.in, got, err, c.want, c.err)
		}
	}
}
