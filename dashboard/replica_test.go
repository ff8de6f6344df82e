package dashboard

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// A session cookie is signed with the secret: it holds on every server with
// the same secret and on no other, and nobody can change the user in it.
func TestSignedSessionsHoldOnEveryServerWithTheSecret(t *testing.T) {
	secret := []byte(strings.Repeat("s", 32))
	a, b, other := newSessions(secret), newSessions(secret), newSessions([]byte(strings.Repeat("o", 32)))
	cookie, sess := a.create("hr", 3)
	got, ok := b.get(cookie)
	if !ok || got.user != "hr" || got.gen != 3 || got.csrf != sess.csrf || got.csrf == "" {
		t.Fatalf("on a second server with the secret: %+v, %v; want the same session and CSRF token", got, ok)
	}
	if _, ok := other.get(cookie); ok {
		t.Error("a server with another secret accepted the cookie")
	}
	forged := strings.Replace(cookie, cookie[:strings.IndexByte(cookie, '.')], "YWRtaW4", 1) // "admin"
	if _, ok := b.get(forged); ok {
		t.Error("a cookie with the user changed was accepted")
	}
	b.end(got)
	if _, ok := b.get(cookie); ok {
		t.Error("a session logged out on a server is still accepted there")
	}
	if _, ok := newSessions(nil).get(cookie); ok {
		t.Error("a server without a configured secret accepted another's cookie")
	}
}

// replicaSite is a replica over the publication folder dir, with the
// writer's accounts from the publication.
func replicaSite(t *testing.T, dir string, secret []byte, writerURL string) (*Server, string) {
	t.Helper()
	accounts := ReplicaAccounts()
	store, err := storage.OpenReplica(context.Background(), dir, storage.ReplicaOptions{MemoryLimit: "300MB", Threads: 1, Poll: 50 * time.Millisecond,
		Prepare: func(snapshot string) error { return accounts.Load(filepath.Join(snapshot, storage.SnapshotAccounts)) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv, err := New(store, accounts, Config{SessionSecret: secret, WriterURL: writerURL})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return srv, ts.URL
}

// One writer and two replicas on loopback: a user logs in on one replica
// and, with that one cookie, alternates between both while the writer
// imports; both serve the new figures within seconds of the publication,
// and no request fails. Replicas refuse changes, and a logout on one
// replica reaches the writer and, with its next publication, the other.
func TestWriterAndTwoReplicas(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	site := newTestSiteSized(t, 400)
	secret := []byte(strings.Repeat("k", 32))
	usersFile := filepath.Join(t.TempDir(), "users.json")
	accounts, err := OpenAccounts(usersFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []Role{RoleAdmin, RoleHR} {
		if err := accounts.Put(string(role), site.password, role, nil); err != nil {
			t.Fatal(err)
		}
	}
	pubDir := filepath.Join(t.TempDir(), "published")
	pub, err := site.store.Publisher(pubDir, 3, map[string]string{storage.SnapshotAccounts: usersFile})
	if err != nil {
		t.Fatal(err)
	}
	accounts.OnChange = pub.Poke
	go pub.Run(ctx)
	writer, err := New(site.store, accounts, Config{SessionSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	wts := httptest.NewServer(writer.Handler())
	defer wts.Close()
	waitUntil(t, 10*time.Second, "the first publication", func() bool {
		entries, _ := os.ReadDir(pubDir)
		return len(entries) > 0 && !strings.HasPrefix(entries[0].Name(), ".")
	})
	_, urlA := replicaSite(t, pubDir, secret, wts.URL)
	_, urlB := replicaSite(t, pubDir, secret, wts.URL)

	cookie := login(t, urlA, "hr", site.password)
	get := func(base, path string) (int, string, error) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		var body strings.Builder
		_, err = io.Copy(&body, resp.Body)
		return resp.StatusCode, body.String(), err
	}
	const kpis = "/api/v1/kpis"
	_, before, err := get(wts.URL, kpis)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{urlA, urlB} {
		if status, body, err := get(u, kpis); status != http.StatusOK || !sameFigures(t, body, before) || err != nil {
			t.Fatalf("replica %s before the import: %d %v\n%s\nwant the writer's\n%s", u, status, err, body, before)
		}
	}

	// A client alternating between the replicas with the one cookie.
	var mu sync.Mutex
	var requests, failures int
	var failed []string
	latest := map[string]string{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			u := []string{urlA, urlB}[i%2]
			status, body, err := get(u, kpis+"?n="+string(rune('a'+i%26))) // distinct URLs, same figures
			mu.Lock()
			requests++
			if status != http.StatusOK || err != nil {
				failures++
				failed = append(failed, u+": "+http.StatusText(status)+" "+body)
			} else {
				latest[u] = body
			}
			mu.Unlock()
			time.Sleep(10 * time.Millisecond)
		}
	}()

	path, profile := site.extraCaseFile(t)
	if _, err := writer.importer.ImportFile(ctx, path, ingest.ImportOptions{Profile: profile, ExtractDate: testExtract}); err != nil {
		t.Fatal(err)
	}
	committed := time.Now()
	var after string
	waitUntil(t, 30*time.Second, "the writer's new figures", func() bool {
		_, after, _ = get(wts.URL, kpis)
		return !sameFigures(t, after, before)
	})
	waitUntil(t, 30*time.Second, "both replicas serving the new figures", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return latest[urlA] != "" && latest[urlB] != "" && sameFigures(t, latest[urlA], after) && sameFigures(t, latest[urlB], after)
	})
	t.Logf("both replicas serve the new figures %s after the writer's commit", time.Since(committed).Round(time.Millisecond))
	close(stop)
	wg.Wait()
	if failures > 0 || requests < 10 {
		t.Fatalf("%d of %d requests failed: %v", failures, requests, failed)
	}

	// A replica refuses changes, pointing to the writer.
	req := multipartPost(t, urlB+"/api/v1/imports", path, map[string]string{"profile": "native-periods"})
	req.SetBasicAuth("admin", site.password)
	if status, body := call(t, http.DefaultClient, req); status != http.StatusConflict || !strings.Contains(body, "read_only_replica") {
		t.Errorf("an import on a replica: %d %s; want 409 read_only_replica", status, body)
	}

	// The writer accepts the session begun on a replica. A logout on a
	// replica ends it there at once, on the writer (which it tells) too, and
	// on the other replica with the writer's next publication.
	sess, ok := writer.sessions.get(cookie)
	if !ok {
		t.Fatal("the writer does not accept the replica's session")
	}
	out := formPost(urlA+"/logout", url.Values{"csrf": {sess.csrf}})
	out.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if status, body := call(t, noRedirect, out); status != http.StatusSeeOther {
		t.Fatalf("logout: %d %s", status, body)
	}
	if a, _, _ := get(urlA, kpis); a != http.StatusUnauthorized {
		t.Errorf("the replica logged out on answers %d", a)
	}
	if w, _, _ := get(wts.URL, kpis); w != http.StatusUnauthorized {
		t.Errorf("the writer answers %d after a logout on a replica", w)
	}
	waitUntil(t, 30*time.Second, "the other replica refusing the logged-out session", func() bool {
		b, _, _ := get(urlB, kpis)
		return b == http.StatusUnauthorized
	})
}

func waitUntil(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// login logs in through the form, as a browser does, and returns the
// session cookie's value.
func login(t *testing.T, base, user, password string) string {
	t.Helper()
	resp, err := http.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var csrf string
	for _, c := range resp.Cookies() {
		if c.Name == loginCSRFCookie {
			csrf = c.Value
		}
	}
	req := formPost(base+"/login", url.Values{"csrf": {csrf}, "username": {user}, "password": {password}, "next": {"/"}})
	req.AddCookie(&http.Cookie{Name: loginCSRFCookie, Value: csrf})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	t.Fatalf("login as %s on %s: %s, no session cookie", user, base, resp.Status)
	return ""
}
