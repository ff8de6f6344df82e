package dashboard

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer collects log lines from the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Issue 14, item 1: an HR person looks up the pseudonym of a personnel
// number on a separate form — the pseudonym the import stored, the lookup
// logged without the number, a handful a minute, not for managers.
func pseudonymLookup(t *testing.T, site *testSite) {
	var logs lockedBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	f, err := os.Open(filepath.Join(site.dataDir, "employments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	number := rows[1][0] // a personnel number of the export

	post := func(user string, form url.Values) (int, string) {
		cookie, sess := site.server.sessions.create(user, 0)
		if form.Get("csrf") == "" {
			form.Set("csrf", sess.csrf)
		}
		req := httptest.NewRequest(http.MethodPost, "/poortwachter/lookup", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		return rec.Code, string(body)
	}
	code, body := post("hr", url.Values{"number": {number}})
	i := strings.Index(body, `<p id="lookup-result">`)
	if code != http.StatusOK || i < 0 {
		t.Fatalf("lookup: %d without a result", code)
	}
	pseudonym := body[strings.Index(body[i:], "<code>")+i+len("<code>"):]
	pseudonym = pseudonym[:strings.Index(pseudonym, "<")]
	var n int
	if err := site.store.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM employments JOIN employees USING (employee_key) WHERE pseudonym = ?`, pseudonym).Scan(&n); err != nil || n == 0 {
		t.Errorf("pseudonym %q of %s: %d employments stored under it (%v); want the import's pseudonym", pseudonym, number, n, err)
	}
	line := ""
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "pseudonym looked up") {
			line = l
		}
	}
	if !strings.Contains(line, "user=hr") || !strings.Contains(line, "employer=") || !strings.Contains(line, "time=") {
		t.Errorf("no audit line with who, when and which employer: %q", line)
	}
	if strings.Contains(logs.String(), number) {
		t.Errorf("the personnel number %s is in the log", number)
	}

	if code, _ := post("hr", url.Values{"number": {number}, "csrf": {"forged"}}); code != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", code)
	}
	if code, _ := post("manager", url.Values{"number": {number}}); code != http.StatusForbidden {
		t.Errorf("a manager: %d, want 403", code)
	}
	if code, body := post("hr", url.Values{"number": {" "}}); code != http.StatusOK || !strings.Contains(body, "Vul een personeelsnummer in") || strings.Contains(body, `id="lookup-result"`) {
		t.Errorf("an empty number: %d", code)
	}
	var codes []int
	for range loginBurst {
		code, _ := post("hr", url.Values{"number": {number}})
		codes = append(codes, code)
	}
	if codes[len(codes)-1] != http.StatusTooManyRequests {
		t.Errorf("%d lookups in a row: %v; want the last refused with 429", loginBurst+1, codes)
	}
}
