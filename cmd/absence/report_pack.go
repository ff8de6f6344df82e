package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/verzuim/absence/dashboard"
)

// runReportPack writes the monthly report pack (verzuimrapportage) of one
// month as PDF or XLSX, the format following the file's extension.
//
//	absence report pack --month YYYY-MM [--employer E] [--department D] --out FILE.pdf|FILE.xlsx
func runReportPack(args []string) error {
	fs := flag.NewFlagSet("report pack", flag.ContinueOnError)
	month := fs.String("month", "", "the month, YYYY-MM (required)")
	employer := fs.String("employer", "", employerUsage)
	department := fs.String("department", "", "only this department")
	out := fs.String("out", "", "the file to write: FILE.pdf or FILE.xlsx (required)")
	lang := fs.String("lang", "nl", "language of the pack: nl or en")
	settings := addConfigFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: absence report pack --month YYYY-MM [--employer E] [--department D] --out FILE.pdf|FILE.xlsx")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *month == "" || *out == "" {
		fs.Usage()
		return errors.New("report pack: --month and --out are required")
	}
	req, err := packRequest(*month, *employer, *department, *out, *lang)
	if err != nil {
		return err
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	ctx := context.Background()
	store, err := openForReport(ctx, cfg, "report pack")
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := employerScope(ctx, store, *employer); err != nil {
		return fmt.Errorf("report pack: %w", err)
	}
	srv, err := dashboard.New(store, dashboard.ReplicaAccounts(), cfg.dashboardConfig(store))
	if err != nil {
		return err
	}
	defer srv.Close()
	return writePack(ctx, srv, req, *out)
}

// packRequest checks the flags of a pack.
func packRequest(month, employer, department, out, lang string) (dashboard.PackRequest, error) {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return dashboard.PackRequest{}, fmt.Errorf("report pack: --month %q: write the month as YYYY-MM, e.g. 2026-10", month)
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
	if format != "pdf" && format != "xlsx" {
		return dashboard.PackRequest{}, fmt.Errorf("report pack: --out %s: name a .pdf or .xlsx file", out)
	}
	if lang != "nl" && lang != "en" {
		return dashboard.PackRequest{}, fmt.Errorf("report pack: --lang %q: expected nl or en", lang)
	}
	return dashboard.PackRequest{Month: m, Employer: employer, Department: department, Format: format, Lang: lang}, nil
}

// writePack makes the pack and writes it to path (mode 0600: it holds the
// organisation's figures), replacing the file only when it is complete.
func writePack(ctx context.Context, srv *dashboard.Server, req dashboard.PackRequest, path string) error {
	b, err := srv.Pack(ctx, req)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("report pack: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("report pack: %w", err)
	}
	return nil
}
