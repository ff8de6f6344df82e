package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/verzuim/absence/ingest"
)

// The [import] limits come from the file, are overridden by the environment,
// default to ingest.DefaultLimits, and must be workable.
func TestImportLimitsConfig(t *testing.T) {
	tests := []struct {
		name, file string
		env        map[string]string
		want       ingest.Limits
		wantErr    string
	}{
		{name: "defaults", want: ingest.DefaultLimits()},
		{name: "file", file: "[import]\nmax_fields = 300\nmax_field_bytes = 65536\nmax_line_bytes = 2097152\n",
			want: ingest.Limits{MaxFields: 300, MaxFieldBytes: 65536, MaxLineBytes: 2097152}},
		{name: "one setting, the others default", file: "[import]\nmax_fields = 50\n",
			want: ingest.Limits{MaxFields: 50, MaxFieldBytes: ingest.DefaultLimits().MaxFieldBytes, MaxLineBytes: ingest.DefaultLimits().MaxLineBytes}},
		{name: "environment wins", file: "[import]\nmax_fields = 300\n", env: map[string]string{"ABSENCE_MAX_FIELDS": "400", "ABSENCE_MAX_LINE_BYTES": "4194304"},
			want: ingest.Limits{MaxFields: 400, MaxFieldBytes: ingest.DefaultLimits().MaxFieldBytes, MaxLineBytes: 4194304}},
		{name: "too few fields", file: "[import]\nmax_fields = 1\n", wantErr: "import.max_fields must be between 2 and 10000"},
		{name: "row shorter than a value", file: "[import]\nmax_field_bytes = 4096\nmax_line_bytes = 1024\n", wantErr: "import.max_line_bytes must be at least max_field_bytes (4096)"},
		{name: "row too long for the CSV reader", env: map[string]string{"ABSENCE_MAX_LINE_BYTES": "1073741824"}, wantErr: "at most 16777216"},
		{name: "not a number", env: map[string]string{"ABSENCE_MAX_FIELD_BYTES": "32K"}, wantErr: "$ABSENCE_MAX_FIELD_BYTES"},
		{name: "unknown setting", file: "[import]\nmax_columns = 10\n", wantErr: `unknown setting "import.max_columns"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			path := ""
			if tt.file != "" {
				path = filepath.Join(t.TempDir(), "absence.toml")
				if err := os.WriteFile(path, []byte(tt.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c, err := loadConfig(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || c.Import != tt.want {
				t.Errorf("limits %+v (err %v), want %+v", c.Import, err, tt.want)
			}
		})
	}
}

// The import command applies the configured limits: a row beyond them is
// rejected with the limit in its reason.
func TestImportCommandAppliesConfiguredLimits(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "absence.toml")
	os.WriteFile(config, []byte("[import]\nmax_fields = 12\n"), 0o644)
	wide := filepath.Join(dir, "wide.csv")
	content := "employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender\n" +
		"E001,2020-01-01,,Zorg,Team A,Utrecht,40,40,1980,F\n" +
		"E002,2020-01-01,,Zorg,Team A,Utrecht,40,40,1980,F" + strings.Repeat(",x", 5) + "\n" +
		"E003,2020-01-01,,Zorg,Team A,Utrecht,40,40,1980,F\n"
	os.WriteFile(wide, []byte(content), 0o644)
	err := runImport([]string{"--db", filepath.Join(dir, "x.duckdb"), "--config", config, "--rejects", filepath.Join(dir, "rejects.csv"), wide})
	var exit exitError
	if !errors.As(err, &exit) || exit.code != exitRejected {
		t.Fatalf("err = %v, want exit code %d", err, exitRejected)
	}
	report, _ := os.ReadFile(filepath.Join(dir, "rejects.csv"))
	if !strings.Contains(string(report), "wide.csv,3,,,has 15 fields; at most 12 are allowed") {
		t.Errorf("reject report:\n%s", report)
	}
}
