package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

const importsUsage = `Usage:
  absence imports list [--db FILE] [--limit 50]   the import history, newest first
  absence imports undo [--db FILE] N              restore the source of import N as it was before it

Both take --config FILE, or --server URL [--user NAME] while 'absence serve' owns the database
(the password comes from $ABSENCE_PASSWORD or is asked).`

// runImports lists the import history and undoes imports.
func runImports(args []string) error { return importsCommand(args, os.Stdout) }

func importsCommand(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "list" && args[0] != "undo" {
		return errors.New(importsUsage)
	}
	sub := args[0]
	fs := flag.NewFlagSet("imports "+sub, flag.ContinueOnError)
	settings := addConfigFlags(fs)
	server := fs.String("server", "", "go through a running server at this address (e.g. http://localhost:8080), which owns the database")
	user := fs.String("user", "admin", "with --server: an admin account")
	limit := fs.Int("limit", 50, "list: how many imports to show")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), importsUsage); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var id int64
	switch {
	case sub == "list" && fs.NArg() > 0:
		return fmt.Errorf("imports list: unexpected arguments %q", fs.Args())
	case sub == "undo":
		n, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if fs.NArg() != 1 || err != nil || n <= 0 {
			return errors.New("imports undo: name one import by its number, e.g. 'absence imports undo 12' ('absence imports list' shows the numbers)")
		}
		id = n
	}
	if *server != "" {
		c := serverClient{base: strings.TrimRight(*server, "/"), user: *user}
		if sub == "list" {
			return c.list(out, *limit)
		}
		return c.undo(out, id)
	}

	cfg, err := settings.load()
	if err != nil {
		return err
	}
	ctx := context.Background()
	store, err := openStore(ctx, cfg, false)
	if errors.Is(err, storage.ErrDatabaseInUse) {
		return fmt.Errorf("%w\nWhile 'absence serve' runs it owns the database: run 'absence imports %s --server http://localhost:8080 …' instead", err, sub)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	if sub == "list" {
		history, err := store.Imports(ctx, *limit)
		if err != nil {
			return err
		}
		employers, err := store.Reader().Employers(ctx)
		if err != nil {
			return err
		}
		printImports(out, history, len(employers) > 1)
		return nil
	}
	res, err := store.Undo(ctx, id, storage.UndoOptions{By: "cli:" + osUserName()})
	if err != nil {
		return err
	}
	printUndo(out, res)
	return nil
}

// printImports prints the history; withEmployer adds the employer of each
// import, which an installation of one employer leaves out.
func printImports(out io.Writer, history []storage.ImportRecord, withEmployer bool) {
	if len(history) == 0 {
		fmt.Fprintln(out, "No imports yet.")
		return
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	head, source := "#\t", "a source"
	employer := func(storage.ImportRecord) string { return "" }
	if withEmployer {
		head, source = "#\temployer\t", "an employer's source"
		employer = func(r storage.ImportRecord) string {
			if r.Employer == "" {
				return "(all)\t" // a purge over every employer
			}
			return r.Employer + "\t"
		}
	}
	fmt.Fprintln(w, head+"when\tfile\tkind\tsource\tmode\trows read/accepted/rejected\tstatus")
	for _, r := range history {
		id := fmt.Sprint(r.ID)
		if r.Undoable {
			id += "*"
		}
		status := r.Status
		if r.Status != "committed" && r.Message != "" {
			status += ": " + r.Message
		}
		fmt.Fprintf(w, "%s\t%s%s\t%s\t%s\t%s\t%s\t%d/%d/%d\t%s\n", id, employer(r), r.FinishedAt.Format("2006-01-02 15:04"), r.File, r.Kind,
			orDash(r.Source), orDash(r.Mode), r.Read, r.Accepted, r.Rejected, status)
	}
	w.Flush()
	fmt.Fprintf(out, "* can be undone: 'absence imports undo N' (only the latest import of %s; undo later ones first)\n", source)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func printUndo(out io.Writer, r storage.UndoResult) {
	units := func(n int64) string { return purgeCount(n, strings.TrimSuffix(r.Units, "s"), r.Units) }
	fmt.Fprintf(out, "Undid import %d (%s, %s, source %q): removed the %s it stored and restored the %s it replaced.\n",
		r.Import.ID, r.Import.File, r.Import.Kind, r.Import.Source, units(r.Removed), units(r.Restored))
	fmt.Fprintf(out, "Source %q held %s; now it holds %s, as before import %d.\n", r.Import.Source, units(r.Before), units(r.After), r.Import.ID)
	fmt.Fprintf(out, "Logged in the import history as number %d. The file of import %d can be imported again.\n", r.UndoID, r.Import.ID)
	for _, other := range r.Together {
		fmt.Fprintf(out, "Import %d, of employer %q, came from the same file and was undone with it:\n", other.Import.ID, other.Import.Employer)
		printUndo(out, other)
	}
}

// serverClient asks a running server, as an admin with HTTP Basic
// authentication.
type serverClient struct{ base, user string }

func (c serverClient) do(method, path string, into any) error {
	password, err := serverPassword()
	if err != nil {
		return err
	}
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(c.user, password)
	resp, err := (&http.Client{Timeout: 30 * time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("reach the server: %w", err)
	}
	defer resp.Body.Close()
	var reply struct {
		Error string          `json:"error"`
		Data  json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		return fmt.Errorf("the server answered %s", resp.Status)
	}
	if resp.StatusCode != http.StatusOK {
		if reply.Error == "" {
			reply.Error = resp.Status
		}
		return errors.New(reply.Error)
	}
	return json.Unmarshal(reply.Data, into)
}

func (c serverClient) list(out io.Writer, limit int) error {
	var data struct{ History []storage.ImportRecord }
	if err := c.do(http.MethodGet, "/api/v1/imports", &data); err != nil {
		return err
	}
	history := data.History[:min(limit, len(data.History))]
	printImports(out, history, slices.ContainsFunc(history, func(r storage.ImportRecord) bool { return r.Employer != "" && r.Employer != storage.DefaultEmployer }))
	return nil
}

func (c serverClient) undo(out io.Writer, id int64) error {
	var res storage.UndoResult
	if err := c.do(http.MethodPost, fmt.Sprintf("/api/v1/imports/%d/undo", id), &res); err != nil {
		return err
	}
	printUndo(out, res)
	return nil
}
