package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/verzuim/absence/datasets"
)

// One writer and two replicas, each a real absence process on loopback: an
// export imported through the writer reaches both replicas, with the
// writer's figures, while a client alternating between the replicas gets
// an answer to every request during the swap.
func TestWriterAndTwoReplicasAsProcesses(t *testing.T) {
	dir := t.TempDir()
	extract := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	data := filepath.Join(dir, "data")
	if _, err := datasets.WriteFiles(data, datasets.Config{Employees: 120, Seed: 3, ExtractDate: extract}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	db, pub := filepath.Join(dir, "writer.duckdb"), filepath.Join(dir, "published")
	var files []string
	for _, f := range []string{"employments.csv", "absence_periods.csv"} {
		files = append(files, filepath.Join(data, f))
	}
	if out, err := runAbsence(t, nil, append([]string{"import", "--db", db, "--extract-date", "2026-06-30"}, files...)...); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	env := []string{"ABSENCE_SESSION_SECRET=" + strings.Repeat("r", 32)}
	writer := startAbsence(t, "writer", env, "serve", "--db", db, "--publish", pub)
	password := writer.waitFor(t, regexp.MustCompile(`user admin, password (\S+) `))
	replicas := []*process{startAbsence(t, "replica 1", env, "serve", "--replica", pub), startAbsence(t, "replica 2", env, "serve", "--replica", pub)}
	api := func(p *process) (int, map[string]any, error) { return getJSON(p.url+"/api/v1/kpis", "admin", password) }

	kpis := func(p *process) map[string]any {
		t.Helper()
		var last string
		for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			code, body, err := api(p)
			if err == nil && code == http.StatusOK {
				return body
			}
			last = fmt.Sprint(code, err)
		}
		t.Fatalf("%s does not serve the figures: %s\n%s", p.name, last, p.output())
		return nil
	}
	before := kpis(writer)
	for _, r := range replicas {
		if got := kpis(r); !sameFigures(got, before) {
			t.Fatalf("%s serves other figures than the writer before the import:\n%v\n%v", r.name, got, before)
		}
	}

	// A client alternates between the replicas from before the import until
	// both serve the new figures.
	var requests, failures atomic.Int64
	perReplica := make([]atomic.Int64, len(replicas))
	var failed sync.Map
	stop := make(chan struct{})
	var polling sync.WaitGroup
	polling.Add(1)
	go func() {
		defer polling.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			r := replicas[i%2]
			code, _, err := api(r)
			requests.Add(1)
			perReplica[i%2].Add(1)
			if err != nil || code != http.StatusOK {
				failures.Add(1)
				failed.Store(fmt.Sprintf("%s: %d %v", r.name, code, err), true)
			}
		}
	}()

	changed := filepath.Join(dir, "absence_periods.csv")
	later := extract.AddDate(0, 1, 0)
	if _, err := datasets.WriteFiles(filepath.Join(dir, "later"), datasets.Config{Employees: 120, Seed: 3, ExtractDate: later}, datasets.FormatNative); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "later", "absence_periods.csv"), changed); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	if code, body, err := postFile(writer.url+"/api/v1/imports", "admin", password, changed, map[string]string{"extract_date": later.Format(time.DateOnly), "allow_shrink": "true"}); err != nil || code != http.StatusOK {
		t.Fatalf("import through the writer: %d %v\n%s", code, err, body)
	}
	committed := time.Now()
	var after map[string]any
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if after = kpis(writer); !sameFigures(after, before) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the writer's figures did not change after the import")
		}
	}
	writerServes := time.Since(committed)
	serving := map[string]time.Duration{}
	for deadline := time.Now().Add(2 * time.Minute); len(serving) < len(replicas); time.Sleep(50 * time.Millisecond) {
		for _, r := range replicas {
			if _, ok := serving[r.name]; !ok && sameFigures(kpis(r), after) {
				serving[r.name] = time.Since(committed)
			}
		}
		if time.Now().After(deadline) {
			for _, r := range replicas {
				t.Logf("%s against the writer:\n%s", r.name, cmp.Diff(after, kpis(r), cmpopts.EquateApprox(1e-12, 0)))
			}
			t.Fatalf("after 2 minutes not every replica serves the new figures: %v", serving)
		}
	}
	close(stop)
	polling.Wait()
	if failures.Load() > 0 {
		var list []string
		failed.Range(func(k, _ any) bool { list = append(list, k.(string)); return true })
		t.Errorf("%d of %d requests to the replicas failed during the swap: %v", failures.Load(), requests.Load(), list)
	}
	for i := range perReplica {
		if n := perReplica[i].Load(); n < 3 {
			t.Errorf("only %d requests reached %s during the swap: the test proves little", n, replicas[i].name)
		}
	}
	t.Logf("import through the writer %v; the writer served the new figures %v after the commit, replicas %v; %d requests to the replicas, %d failed",
		committed.Sub(started).Round(time.Millisecond), writerServes.Round(time.Millisecond), roundAll(serving), requests.Load(), failures.Load())
}

func roundAll(m map[string]time.Duration) map[string]string {
	out := map[string]string{}
	for k, d := range m {
		out[k] = d.Round(time.Millisecond).String()
	}
	return out
}

// sameFigures compares two JSON answers, numbers up to rounding: two
// processes may sum in another order.
func sameFigures(a, b map[string]any) bool { return cmp.Equal(a, b, cmpopts.EquateApprox(1e-12, 0)) }

// process is an absence command running as a child process of the test
// binary (TestMain), with its output collected as it comes.
type process struct {
	name, url string
	cmd       *exec.Cmd
	mu        sync.Mutex
	lines     []string
	grew      chan struct{}
}

// startAbsence starts "absence serve …", called name, on a free loopback port and waits
// until it answers /healthz; it is stopped (SIGTERM) when the test ends.
func startAbsence(t *testing.T, name string, env []string, args ...string) *process {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args = append(args, "--addr", addr)
	p := &process{name: name, url: "http://" + addr, grew: make(chan struct{}, 1)}
	p.cmd = exec.Command(os.Args[0], "-test.run=^$")
	p.cmd.Env = append(append(os.Environ(), env...), mainArgsEnv+"="+strings.Join(args, "\n"))
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s := bufio.NewScanner(pr)
		for s.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, s.Text())
			p.mu.Unlock()
			select {
			case p.grew <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- p.cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			p.cmd.Process.Kill()
			<-done
		}
		pw.Close()
	})
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(p.url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) || p.cmd.ProcessState != nil {
			t.Fatalf("%s does not answer on %s:\n%s", p.name, addr, p.output())
		}
	}
}

// waitFor waits for a line of output matching re and returns its first
// group.
func (p *process) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	timeout := time.After(time.Minute)
	for {
		p.mu.Lock()
		for _, l := range p.lines {
			if m := re.FindStringSubmatch(l); m != nil {
				p.mu.Unlock()
				return m[1]
			}
		}
		p.mu.Unlock()
		select {
		case <-p.grew:
		case <-timeout:
			t.Fatalf("%s did not print %s:\n%s", p.name, re, p.output())
		}
	}
}

func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// runAbsence runs one absence command to its end.
func runAbsence(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), env...), mainArgsEnv+"="+strings.Join(args, "\n"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func getJSON(url, user, password string) (int, map[string]any, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	req.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("not JSON: %w", err)
	}
	return resp.StatusCode, body, nil
}

// postFile posts a file as the API's multipart field "file".
func postFile(url, user, password, path string, fields map[string]string) (int, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, "", err
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", filepath.Base(path))
	part.Write(data)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, url, &body)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(reply), nil
}
