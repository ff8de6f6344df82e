package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/verzuim/absence/datasets"
)

// packDB is a database of a generated organisation of 300 employees with
// interventions and milestones, its data up to 2026-06-30.
func packDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	paths, err := datasets.WriteFiles(filepath.Join(dir, "data"), datasets.Config{Employees: 300, Seed: 5, ExtractDate: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}, "native")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "pack.duckdb")
	args := []string{"--db", db, "--extract-date", "2026-06-30"}
	for _, p := range paths {
		if filepath.Base(p) != "absence_events.csv" { // the same cases as absence_periods.csv
			args = append(args, p)
		}
	}
	if err := runImport(args); err != nil {
		t.Fatal(err)
	}
	return db
}

// apiZVP is the month's absence rate as the API gives it to an HR user.
func apiZVP(t *testing.T, url, from, to string) float64 {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/api/v1/kpis?from="+from+"&to="+to, nil)
	req.SetBasicAuth("hr", "a-long-hr-password")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var k struct {
		Data struct {
			ZVP *float64 `json:"zvp_pct"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&k); err != nil || k.Data.ZVP == nil {
		t.Fatalf("kpis: status %d, %v, zvp %v", resp.StatusCode, err, k.Data.ZVP)
	}
	return *k.Data.ZVP
}

// The pack of a month as PDF: one page per section with its title, the
// month's absence rate as the API gives it; as XLSX: a sheet per section
// and the Toelichting, the same rate in its cell, hidden groups empty.
func TestReportPackWritesPDFAndWorkbook(t *testing.T) {
	for _, tool := range []string{"chromium", "pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the report pack test needs %s: apt-get install chromium poppler-utils (.ci/run does this)", tool)
		}
	}
	db := packDB(t)
	config := smallGroups(t)
	dir := t.TempDir()
	pdf, xlsx := filepath.Join(dir, "pack.pdf"), filepath.Join(dir, "pack.xlsx")
	for _, out := range []string{pdf, xlsx} {
		if err := runReportPack([]string{"--db", db, "--config", config, "--month", "2026-05", "--out", out}); err != nil {
			t.Fatalf("report pack --out %s: %v", filepath.Base(out), err)
		}
	}
	want := apiZVP(t, serveDB(t, db), "2026-05-01", "2026-05-31")

	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "\nPages:           6\n") {
		t.Errorf("the pack should print its six sections on six pages:\n%s", info)
	}
	var pages []string
	for i := 1; i <= 6; i++ {
		text, err := exec.Command("pdftotext", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(text))
	}
	for i, title := range []string{"Verzuimrapportage mei 2026", "Trends", "Uitsplitsing", "Verzuimduur", "Poortwachter", "Interventies"} {
		if !strings.Contains(pages[i], title) {
			t.Errorf("page %d lacks its title %q:\n%s", i+1, title, pages[i])
		}
	}
	tile := strings.Replace(fmt.Sprintf("%.1f%%", want), ".", ",", 1)
	if month := pages[0][:strings.Index(pages[0], "12 maanden")]; !strings.Contains(month, "Verzuimpercentage") || !strings.Contains(month, tile) {
		t.Errorf("the month's tiles should show the API's absence rate %s:\n%s", tile, month)
	}
	if strings.Contains(strings.Join(pages, ""), "Pseudoniem") {
		t.Error("the pack names persons")
	}

	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), "Overzicht,Trends,Uitsplitsing,Verzuimduur,Poortwachter,Interventies,Toelichting"; got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	if label, _ := f.GetCellValue("Overzicht", "A2"); label != "Verzuimpercentage" {
		t.Errorf("Overzicht A2 = %q, want Verzuimpercentage", label)
	}
	// A cell keeps 15 significant digits, as Excel does.
	if raw, _ := f.GetCellValue("Overzicht", "B2", excelize.Options{RawCellValue: true}); !sameFigure(raw, want) {
		t.Errorf("Overzicht B2 (the month's ZVP) = %s, the API says %v", raw, want)
	}
	rows, _ := f.GetRows("Uitsplitsing")
	hidden := 0
	for _, r := range rows[1:] {
		if len(r) < 2 || r[1] == "" {
			hidden++
		}
	}
	if len(rows) < 3 || hidden == 0 {
		t.Errorf("the breakdown should list the departments with the small ones left empty: %d rows, %d empty", len(rows), hidden)
	}
	notes, _ := f.GetRows("Toelichting")
	if len(notes) < 5 || notes[0][1] != "mei 2026" {
		t.Errorf("Toelichting should start with the month: %v", notes)
	}
}

// sameFigure says whether a cell holds v to Excel's 15 significant digits.
func sameFigure(cell string, v float64) bool {
	got, err := strconv.ParseFloat(cell, 64)
	return err == nil && math.Abs(got-v) <= 1e-12*math.Abs(v)
}
