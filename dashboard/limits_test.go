package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/verzuim/absence/ingest/storage"
)

// loginAttempt posts the login form from a client address, optionally
// through a proxy header, and returns the status.
func loginAttempt(t *testing.T, h http.Handler, remote, forwardedFor, user, password string) int {
	t.Helper()
	form := url.Values{"csrf": {"tok"}, "username": {user}, "password": {password}, "next": {"/"}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: loginCSRFCookie, Value: "tok"})
	req.RemoteAddr = remote + ":40000"
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// Password guessing is limited per client address and per user name; the
// client address is the connection's unless it comes through a trusted
// proxy; a right password never counts against the limit.
func TestLoginRateLimit(t *testing.T) {
	const burst, password = 5, "a-long-test-password"
	store, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "empty.duckdb"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	names := []string{"admin", "hr"}
	for i := range 8 {
		names = append(names, fmt.Sprintf("guess%d", i), fmt.Sprintf("other%d", i))
	}
	accounts := cheapAccounts(t, password, names...)
	fresh := func(t *testing.T, cfg Config) http.Handler {
		t.Helper()
		s, err := New(store, accounts, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return s.Handler()
	}
	// statuses runs n attempts and returns their statuses.
	statuses := func(n int, attempt func(i int) int) []int {
		var out []int
		for i := range n {
			out = append(out, attempt(i))
		}
		return out
	}
	limitedAfterBurst := func(t *testing.T, got []int) {
		t.Helper()
		for i, code := range got {
			if want := map[bool]int{true: http.StatusUnauthorized, false: http.StatusTooManyRequests}[i < burst]; code != want {
				t.Errorf("attempt %d: %d, want %d (all: %v)", i+1, code, want, got)
				return
			}
		}
	}

	t.Run("a forged X-Forwarded-For does not make a new client", func(t *testing.T) {
		h := fresh(t, Config{})
		limitedAfterBurst(t, statuses(8, func(i int) int {
			return loginAttempt(t, h, "192.0.2.7", fmt.Sprintf("198.51.100.%d", i), fmt.Sprintf("guess%d", i), "wrong-password")
		}))
	})
	t.Run("one user name from many addresses", func(t *testing.T) {
		h := fresh(t, Config{})
		got := statuses(8, func(i int) int {
			return loginAttempt(t, h, fmt.Sprintf("192.0.2.%d", i+1), "", "admin", "wrong-password")
		})
		limitedAfterBurst(t, got)
		if code := loginAttempt(t, h, "192.0.2.99", "", "admin", password); code != http.StatusTooManyRequests {
			t.Errorf("while the name is limited, the right password answers %d, not 429: it would tell a guess is right", code)
		}
	})
	t.Run("behind a trusted proxy, each forwarded client is its own", func(t *testing.T) {
		h := fresh(t, Config{TrustedProxies: []string{"10.0.0.0/8"}})
		for i := range burst + 1 {
			if code := loginAttempt(t, h, "10.1.2.3", fmt.Sprintf("198.51.100.%d", i), fmt.Sprintf("guess%d", i), "wrong-password"); code != http.StatusUnauthorized {
				t.Errorf("forwarded client %d: %d, want 401", i, code)
			}
		}
		limitedAfterBurst(t, statuses(8, func(i int) int {
			return loginAttempt(t, h, "10.1.2.3", "198.51.100.200", fmt.Sprintf("other%d", i), "wrong-password")
		}))
	})
	t.Run("right passwords never count", func(t *testing.T) {
		h := fresh(t, Config{})
		for i := range burst + 2 {
			if code := loginAttempt(t, h, "192.0.2.50", "", "admin", password); code != http.StatusSeeOther {
				t.Fatalf("login %d with the right password: %d", i+1, code)
			}
		}
		for i := range burst + 2 {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/imports", nil)
			req.RemoteAddr = "192.0.2.51:40000"
			req.SetBasicAuth("admin", password)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("script request %d with the right Basic password: %d", i+1, rec.Code)
			}
		}
		// and the wrong ones still do, after all those right ones
		limitedAfterBurst(t, statuses(burst+2, func(int) int { return loginAttempt(t, h, "192.0.2.50", "", "admin", "wrong-password") }))
	})
	t.Run("a bad proxy setting is refused", func(t *testing.T) {
		if _, err := New(store, accounts, Config{TrustedProxies: []string{"10.0.0.0/33"}}); err == nil || !strings.Contains(err.Error(), "10.0.0.0/33") {
			t.Errorf("err = %v", err)
		}
	})
}

// While passwords are being checked, their attempts hold their places: of
// many guesses at once only a burst is checked; right ones give their places
// back.
func TestLoginLimiterHoldsPlacesWhileChecking(t *testing.T) {
	l := newLoginLimiter()
	var checking []func(failed bool)
	for range 4 * loginBurst {
		if done, ok := l.begin("client 192.0.2.1", "user hr"); ok {
			checking = append(checking, done)
		}
	}
	if len(checking) != loginBurst {
		t.Fatalf("%d of %d simultaneous attempts were let through, want %d", len(checking), 4*loginBurst, loginBurst)
	}
	for _, done := range checking {
		done(false) // all right
	}
	if _, ok := l.begin("client 192.0.2.1", "user hr"); !ok {
		t.Error("right passwords kept their places")
	}
}

// cheapAccounts are admin accounts with one password, hashed at bcrypt's
// lowest cost so that a test can check many passwords quickly.
func cheapAccounts(t *testing.T, password string, names ...string) *Accounts {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	var users []User
	for _, n := range names {
		users = append(users, User{Name: n, PasswordHash: string(hash), Role: RoleAdmin})
	}
	data, _ := json.Marshal(users)
	path := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	accounts, err := OpenAccounts(path)
	if err != nil {
		t.Fatal(err)
	}
	return accounts
}

// countingBody is a request body of n bytes that counts what the server
// reads of it.
type countingBody struct {
	r    io.Reader
	read int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// hugeUpload is a multipart upload with a file of size bytes (generated as
// it is read), carrying the given CSRF token.
func hugeUpload(csrf string, size int64) (*countingBody, string) {
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	mw.WriteField("csrf", csrf)
	mw.CreateFormFile("file", "big.csv")
	tail := "\r\n--" + mw.Boundary() + "--\r\n"
	return &countingBody{r: io.MultiReader(&head, io.LimitReader(zeros{}, size), strings.NewReader(tail))}, mw.FormDataContentType()
}

// Request bodies are limited before anything reads them, and nobody's body
// is read before they are known and allowed.
func TestBodiesAreLimitedBeforeTheyAreRead(t *testing.T) {
	site := newTestSiteSized(t, 200)
	site.server.cfg.UploadLimit = 1 << 20
	const big = 200 << 20
	const small = 64 << 10 // what a server may read of a body it refuses
	post := func(path, user string, body *countingBody, contentType string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, body)
		req.Header.Set("Content-Type", contentType)
		if user != "" {
			req.AddCookie(sessionCookieFor(t, site, user))
		}
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		return rec
	}
	// noTempFiles checks, at the end of a subtest, that no body was spilled
	// to temp files, as a parsed multipart form does.
	noTempFiles := func(t *testing.T) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		t.Cleanup(func() {
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("the body was written to %d temp files, e.g. %s", len(left), left[0].Name())
			}
		})
	}

	t.Run("an upload over the limit, as admin", func(t *testing.T) {
		noTempFiles(t)
		sess := sessionFor(t, site, "admin")
		body, ct := hugeUpload(sess.csrf, 2<<20)
		req := httptest.NewRequest(http.MethodPost, "/imports/preview", body)
		req.Header.Set("Content-Type", ct)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.id})
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || strings.Contains(rec.Body.String(), `id="preview"`) || !strings.Contains(rec.Body.String(), "groter dan de limiet van 1 MB") {
			t.Errorf("%d, read %d bytes: %.400s", rec.Code, body.read, rec.Body.String())
		}
		if body.read > site.server.cfg.UploadLimit+small {
			t.Errorf("read %d bytes of a body over the limit of %d", body.read, site.server.cfg.UploadLimit)
		}
	})
	for _, tt := range []struct {
		name, path, user string
		want             int
	}{
		{"as a manager", "/imports/preview", "manager", http.StatusForbidden},
		{"as a manager, to the API", "/api/v1/imports", "manager", http.StatusForbidden},
		{"unauthenticated", "/imports/preview", "", http.StatusSeeOther},
		{"unauthenticated, to the API", "/api/v1/imports", "", http.StatusUnauthorized},
	} {
		t.Run("200 MB "+tt.name, func(t *testing.T) {
			noTempFiles(t)
			csrf := ""
			if tt.user != "" {
				csrf = sessionFor(t, site, tt.user).csrf
			}
			body, ct := hugeUpload(csrf, big)
			rec := post(tt.path, tt.user, body, ct)
			if rec.Code != tt.want || body.read > 0 {
				t.Errorf("%d (want %d), read %d bytes of the body before refusing", rec.Code, tt.want, body.read)
			}
		})
	}
	t.Run("200 MB to the login form", func(t *testing.T) {
		noTempFiles(t)
		multipartBody, multipartType := hugeUpload("tok", big)
		for _, tt := range []struct {
			body        *countingBody
			contentType string
		}{
			{multipartBody, multipartType},
			{&countingBody{r: io.MultiReader(strings.NewReader("csrf=tok&username=admin&password="), io.LimitReader(zeros{}, big))}, "application/x-www-form-urlencoded"},
		} {
			req := httptest.NewRequest(http.MethodPost, "/login", tt.body)
			req.Header.Set("Content-Type", tt.contentType)
			req.AddCookie(&http.Cookie{Name: loginCSRFCookie, Value: "tok"})
			rec := httptest.NewRecorder()
			site.server.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusRequestEntityTooLarge || tt.body.read > small {
				t.Errorf("%s: %d, read %d bytes", tt.contentType, rec.Code, tt.body.read)
			}
		}
	})
	t.Run("a login form over its limit", func(t *testing.T) {
		form := url.Values{"csrf": {"tok"}, "username": {"admin"}, "password": {strings.Repeat("x", 20<<10)}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: loginCSRFCookie, Value: "tok"})
		rec := httptest.NewRecorder()
		site.server.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "te groot") {
			t.Errorf("%d: %.300s", rec.Code, rec.Body.String())
		}
	})
}
