package printing

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
)

// The page is printed as the session sees it: the cookie reaches the
// server, and the text the page writes once ready is in the PDF.
func TestPDFPrintsThePageAsTheSessionSeesIt(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("session"); err != nil || c.Value != "hr" {
			http.Error(w, "niet ingelogd", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html><body><p>Ziekteverzuim 5,2%</p>
<script>setTimeout(function(){var d=document.createElement('div');d.id='ready';d.textContent='Cliëntenservice klaar';document.body.appendChild(d)},200)</script>
</body></html>`))
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	pdf, err := PDF(ctx, Page{URL: srv.URL, Ready: "#ready",
		Cookies: []*network.SetCookieParams{{Name: "session", Value: "hr"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Ziekteverzuim 5,2%", "Cliëntenservice klaar"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext (.ci/run installs
// poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (apt-get install poppler-utils): %v", err)
	}
	return string(out)
}

// A print job waits for a turn when as many chromiums as allowed are
// printing, and gives up when its context ends first, without starting one.
func TestPDFWaitsForATurn(t *testing.T) {
	for range cap(running) {
		running <- struct{}{}
	}
	defer func() {
		for range cap(running) {
			<-running
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := PDF(ctx, Page{URL: "http://127.0.0.1:1/"})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for a turn") {
		t.Fatalf("PDF with every turn taken: %v, want it to give up waiting", err)
	}
}
