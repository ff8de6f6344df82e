package ingest

import (
	"context"
	"fmt"
	"strings"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// duplicateReason marks, in errs, a row that repeats an earlier row exactly:
// skipped and counted, but not an error.
const duplicateReason = "duplicate"

// markDuplicates finds exact repeats. Only rows whose hash another row has
// (repeats) can be one; equal hashes with equal fields are repeats (a row
// that differs only in a column we do not store repeats all that we would
// store).
func (imp *fileImport) markDuplicates(ctx context.Context) error {
	if len(imp.repeats) == 0 {
		return nil
	}
	lines, hashes := make([]int64, len(imp.repeats)), make([]uint64, len(imp.repeats))
	for i, r := range imp.repeats {
		lines[i], hashes[i] = r.line, r.hash
	}
	return imp.exec(ctx, fmt.Sprintf(`INSERT INTO errs SELECT __line, NULL, NULL, %s FROM (
			SELECT __line, row_number() OVER (PARTITION BY row_hash, %s ORDER BY __line) AS rn
			FROM parsed JOIN (SELECT unnest($1::BIGINT[]) AS __line, unnest($2::UBIGINT[]) AS row_hash) USING (__line))
		WHERE rn > 1`, sqlparts.Quote(duplicateReason), strings.Join(imp.kept, ", ")), lines, hashes)
}

// checkFields records one error per bad value of each row; only the rows
// read again as text (parse) can have one.
func (imp *fileImport) checkFields(ctx context.Context) error {
	if imp.rechecked == 0 {
		return nil
	}
	var unions []string
	for _, ch := range imp.checks {
		unions = append(unions, fmt.Sprintf("SELECT __line, %s, %s, %s FROM parsed_raw p WHERE %s AND NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = p.__line)",
			ch.column, ch.value, ch.reason, ch.cond))
	}
	if len(unions) == 0 {
		return nil
	}
	return imp.addErrors(ctx, strings.Join(unions, "\nUNION ALL\n"))
}

// rowCheck is a kind-specific rule on parsed rows: rows where cond holds are
// rejected with reason, naming column and value.
type rowCheck struct{ cond, field, value, reason string }

// applyRowChecks records the errors of each rule on the rows not yet rejected.
func (imp *fileImport) applyRowChecks(ctx context.Context, table string, checks []rowCheck) error {
	var unions []string
	for _, ch := range checks {
		col := "NULL"
		if i, ok := imp.cols[ch.field]; ok {
			col = sqlparts.Quote(imp.src.header[i])
		}
		unions = append(unions, fmt.Sprintf("SELECT line, %s, %s, %s FROM %s t WHERE %s AND NOT EXISTS (SELECT 1 FROM errs e WHERE e.line = t.line)",
			col, ch.value, ch.reason, table, ch.cond))
	}
	if len(unions) == 0 {
		return nil
	}
	return imp.addErrors(ctx, strings.Join(unions, "\nUNION ALL\n"))
}

// addErrors records the errors a query finds, all of them: the query runs to
// the end before errs changes, so a row with two faults gets both reasons
// (inside one INSERT, DuckDB may already see the statement's own rows).
func (imp *fileImport) addErrors(ctx context.Context, query string) error {
	if err := imp.temp(ctx, "new_errs", query); err != nil {
		return err
	}
	return imp.exec(ctx, "INSERT INTO errs SELECT * FROM new_errs")
}
