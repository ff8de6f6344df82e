package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/verzuim/absence/ingest/internal/sqlparts"
)

// Purged data never comes back. Once a purge has run, every import applies
// its rule as part of its own validation: the rows of an employee whose
// employments — those stored and, in an employment file, those in the
// file — all ended before the cutoff are left out. They are neither stored
// nor rejected but counted (Result.PastRetention) and named in a note, and
// the import leaves what is stored of such an employee alone (scope), for
// the purge the operator scheduled. An import never purges.

// pastRetentionReason marks, in errs, a row left out because its employee
// is past the retention period: counted, but not an error.
const pastRetentionReason = "past the retention period"

// retentionRule is the rule of the last purge on the import's day.
type retentionRule struct {
	applies   bool // a purge has run
	cutoff    time.Time
	keepYears int
}

// leaveOutPastRetention finds the employees past the retention period
// (past_retention) and marks their rows.
func (imp *fileImport) leaveOutPastRetention(ctx context.Context) error {
	if !imp.retention.applies {
		return nil
	}
	inFile := ""
	if imp.profile.Kind == KindEmployment {
		inFile = `UNION ALL SELECT ids.emp, p.end_date FROM ` + okRows
	}
	err := imp.temp(ctx, "past_retention", `SELECT emp FROM (
			SELECT employee_key AS emp, end_date FROM employments m WHERE employee_key IN (SELECT emp FROM ids) AND `+imp.own("m")+` `+inFile+`)
		GROUP BY emp HAVING count(*) = count(end_date) AND max(end_date) < `+sqlparts.Date(imp.retention.cutoff))
	if err != nil {
		return err
	}
	err = imp.exec(ctx, `INSERT INTO errs SELECT p.__line, NULL, NULL, `+sqlparts.Quote(pastRetentionReason)+`
		FROM `+okRows+` AND ids.emp IN (SELECT emp FROM past_retention)`)
	if err != nil {
		return err
	}
	var rows, employees int64
	err = imp.conn.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT ids.emp) FROM errs e
		JOIN parsed p ON p.__line = e.line JOIN ids ON ids.raw_emp = p.employee_id WHERE e.reason = ?`, pastRetentionReason).Scan(&rows, &employees)
	if err != nil {
		return fmt.Errorf("count the rows past the retention period: %w", err)
	}
	if rows > 0 {
		imp.res.Notes = append(imp.res.Notes, fmt.Sprintf("left out %s of %s past the retention period: their last employment ended before %s (the last purge keeps %d years), so they are not stored again",
			countOf(rows, "row", "rows"), countOf(employees, "employee", "employees"), imp.retention.cutoff.Format(time.DateOnly), imp.retention.keepYears))
	}
	return nil
}

func countOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
