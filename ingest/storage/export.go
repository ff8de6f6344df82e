package storage

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// exportTables are the tables ExportParquet writes, each with the date column
// whose year partitions it ("" = one file). Milestones go by the year of their
// case's first sick day, so they sit beside their case.
var exportTables = []struct{ name, yearOf string }{
	{"employments", "start_date"},
	{"absence_cases", "first_sick_day"},
	{"case_segments", "valid_from"},
	{"interventions", "start_date"},
	{"milestones", "first_sick_day"},
	{"imports", ""},
	{"import_errors", ""},
	{"purges", ""},
	{"employers", ""},
}

// exportLeavesOut are columns not exported: an employer's pseudonym salt
// is of no use without the key, and is kept with it.
var exportLeavesOut = map[string]string{"employers": "pseudonym_salt"}

// ExportResult says what ExportParquet wrote.
type ExportResult struct {
	Dir    string
	Tables []ExportedTable
	Took   time.Duration
}

// ExportedTable is one table's folder of Parquet files.
type ExportedTable struct {
	Name   string // the table, and its folder under Dir
	Path   string
	YearOf string // the date column whose year partitions it; "" = one file
	Rows   int64
	Files  int
	Years  []int // the year=YYYY partitions written
}

// ExportParquet writes the canonical tables as Parquet under dir, one folder
// per table. The big tables are Hive-partitioned by year (dir/absence_cases/
// year=2024/data_0.parquet); the partition column is called year and is not
// stored in the files. Any engine reads them back, e.g. DuckDB:
//
//	SELECT * FROM read_parquet('dir/absence_cases/**/*.parquet', hive_partitioning = true)
//
// An empty table is written as one file with no rows, so its schema (with the
// year column) is still there to read.
//
// The export holds exactly what the database holds and nothing more: employee
// ids are the keyed pseudonyms, and the pseudonymisation key (kept beside the
// database, not in it) is never exported. import_errors.raw_value holds the
// text of rejected input as the import stored it. Pseudonymised data is still
// personal data (health data, AVG art. 9): the files are written readable by
// their owner only, and after a purge the export must be made again.
//
// All tables are read in one transaction, so they agree with each other, and
// written to hidden folders first: a failed export leaves an earlier export in
// dir as it was. A re-export replaces each table's folder whole, so a year
// that no longer has data does not linger.
func (s *Store) ExportParquet(ctx context.Context, dir string) (ExportResult, error) {
	began := time.Now()
	res := ExportResult{Dir: dir}
	if dir == "" {
		return res, fmt.Errorf("export: name the folder to write to")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err := removeStaleExportFolders(dir); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	stamp := strconv.FormatInt(began.UnixNano(), 10)
	tmp := func(table string) string { return filepath.Join(dir, "."+table+".tmp-"+stamp) }
	written := false
	defer func() {
		if !written {
			for _, t := range exportTables {
				os.RemoveAll(tmp(t.name))
			}
		}
	}()

	conn, err := s.db.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback() // it only reads
	for _, t := range exportTables {
		out, err := exportTable(ctx, tx, t.name, t.yearOf, dir, tmp(t.name))
		if err != nil {
			return res, fmt.Errorf("export %s: %w", t.name, err)
		}
		res.Tables = append(res.Tables, out)
	}

	// Every table is written; now put each in place of its earlier export.
	for _, t := range exportTables {
		final := filepath.Join(dir, t.name)
		old := filepath.Join(dir, "."+t.name+".old-"+stamp)
		if err := os.Rename(final, old); err != nil && !os.IsNotExist(err) {
			return res, fmt.Errorf("export %s: replace the earlier export: %w", t.name, err)
		}
		if err := os.Rename(tmp(t.name), final); err != nil {
			return res, fmt.Errorf("export %s: %w", t.name, err)
		}
		if err := os.RemoveAll(old); err != nil {
			return res, fmt.Errorf("export %s: remove the earlier export: %w", t.name, err)
		}
	}
	written = true
	res.Took = time.Since(began)
	return res, nil
}

// exportTable writes one table as Parquet into the folder into, partitioned
// by the year of yearOf ("" = one file), and counts what it wrote.
func exportTable(ctx context.Context, tx *sql.Tx, name, yearOf, dir, into string) (ExportedTable, error) {
	out := ExportedTable{Name: name, Path: filepath.Join(dir, name), YearOf: yearOf}
	if err := os.Mkdir(into, 0o700); err != nil {
		return out, err
	}
	all, from := "t.*", name+" t"
	if col, ok := exportLeavesOut[name]; ok {
		all = "t.* EXCLUDE (" + col + ")"
	}
	if namesEmployees(name) { // the pseudonym, where the key is stored
		all, from = "e.pseudonym AS employee_id, t.* EXCLUDE (employee_key)", name+" t JOIN employees e USING (employee_key)"
	}
	query := `SELECT ` + all + ` FROM ` + from
	copyTo := sqlparts.Quote(filepath.Join(into, "data_0.parquet")) + ` (FORMAT parquet)`
	if yearOf != "" {
		query = fmt.Sprintf(`SELECT %s, year(t.%s) AS year FROM %s`, all, yearOf, from)
		copyTo = sqlparts.Quote(into) + ` (FORMAT parquet, PARTITION_BY (year), OVERWRITE_OR_IGNORE)`
	}
	r, err := tx.ExecContext(ctx, `COPY (`+query+`) TO `+copyTo)
	if err != nil {
		return out, err
	}
	if out.Rows, err = r.RowsAffected(); err != nil {
		return out, err
	}
	if out.Rows == 0 && yearOf != "" {
		// A partitioned COPY of no rows writes no file at all, and
		// readers fail on a folder without files.
		_, err := tx.ExecContext(ctx, `COPY (`+query+` LIMIT 0) TO `+sqlparts.Quote(filepath.Join(into, "data_0.parquet"))+` (FORMAT parquet)`)
		if err != nil {
			return out, err
		}
	}
	out.Files, out.Years, err = privateParquetTree(into)
	return out, err
}

// namesEmployees reports whether a table names employees by their key.
func namesEmployees(table string) bool {
	return slices.ContainsFunc(keyedTables, func(t []string) bool { return t[0] == table })
}

// privateParquetTree makes the files under dir readable by their owner only,
// and counts the Parquet files and year partitions.
func privateParquetTree(dir string) (files int, years []int, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if y, ok := strings.CutPrefix(d.Name(), "year="); ok {
				if n, err := strconv.Atoi(y); err == nil {
					years = append(years, n)
				}
			}
			return os.Chmod(path, 0o700)
		}
		if strings.HasSuffix(d.Name(), ".parquet") {
			files++
		}
		return os.Chmod(path, 0o600)
	})
	slices.Sort(years)
	return files, years, err
}

// staleExportFolder matches the hidden folders of an export that was killed
// before it finished.
var staleExportFolder = regexp.MustCompile(`^\.([a-z_]+)\.(tmp|old)-\d+$`)

// removeStaleExportFolders removes what a killed export left in dir. Only
// names this code makes are touched.
func removeStaleExportFolders(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		m := staleExportFolder.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() || !slices.ContainsFunc(exportTables, func(t struct{ name, yearOf string }) bool { return t.name == m[1] }) {
			continue
		}
		// A table whose old folder remains but whose new one never arrived:
		// the old one is the latest complete export of it.
		if m[2] == "old" {
			if _, err := os.Stat(filepath.Join(dir, m[1])); os.IsNotExist(err) {
				if err := os.Rename(filepath.Join(dir, e.Name()), filepath.Join(dir, m[1])); err != nil {
					return err
				}
				continue
			}
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
