package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/verzuim/absence/ingest"
)

// importThroughServer sends each planned file, in the plan's order, to a
// running server, which owns the database and imports one file at a time.
// The server is told each file's profile by name, so a profile must be one
// of the built-in ones.
// With an employer, the files are that employer's (?employer=NAME).
func importThroughServer(server, user, employer, extract string, dryRun, allowShrink bool, plan []*ingest.Source, out io.Writer) error {
	password, err := serverPassword()
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Minute}
	url := strings.TrimRight(server, "/") + "/api/v1/imports"
	if employer != "" {
		url += "?employer=" + neturl.QueryEscape(employer)
	}
	failed, withRejects := 0, 0
	for _, f := range plan {
		res, err := postImport(client, url, user, password, f.Profile.Name, extract, dryRun, allowShrink, f.Path)
		printResult(out, res, "")
		if err != nil {
			failed++
			fmt.Fprintf(out, "  FAILED: %v\n", err)
			continue
		}
		if res.Rejected > 0 {
			withRejects++
		}
	}
	switch {
	case failed > 0:
		return fmt.Errorf("%d of %d files not imported", failed, len(plan))
	case withRejects > 0:
		return exitError{exitRejected}
	}
	return nil
}

// serverPassword is the password of the account a command uses on a server:
// $ABSENCE_PASSWORD, or asked.
func serverPassword() (string, error) {
	if password := os.Getenv("ABSENCE_PASSWORD"); password != "" {
		return password, nil
	}
	return readPassword()
}

func postImport(client *http.Client, url, user, password, profile, extract string, dryRun, allowShrink bool, path string) (*ingest.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", filepath.Base(path))
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(part, f); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	w.WriteField("profile", profile)
	w.WriteField("dry_run", fmt.Sprint(dryRun))
	w.WriteField("extract_date", extract)
	w.WriteField("allow_shrink", fmt.Sprint(allowShrink))
	if err := w.Close(); err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, url, &body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.SetBasicAuth(user, password)
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reach the server: %w", err)
	}
	defer resp.Body.Close()
	var reply struct {
		Error string         `json:"error"`
		Data  *ingest.Result `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		return nil, fmt.Errorf("the server answered %s", resp.Status)
	}
	if resp.StatusCode == http.StatusOK {
		return reply.Data, nil
	}
	if reply.Error == "" {
		reply.Error = resp.Status
	}
	return reply.Data, errors.New(reply.Error)
}
