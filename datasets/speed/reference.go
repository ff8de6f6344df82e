package speed

import (
	"context"
	"database/sql"
	"time"
)

// The plain side of each comparison: what DuckDB does with the same data
// without the product's checks, pieces, groups, variants, intervals,
// classes or protection. TestReferenceQueriesAgree (analytics) keeps the
// queries honest: on a generated organisation they give the product's
// figures.

// Querier runs a query: a *sql.DB, the store's Reader.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Execer runs a statement: a *sql.DB, a *sql.Conn.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// KPISQL is ZVP, ZMF, GZVD and zero absence for the period [$1, $2], with
// open cases running to the extract date $3, straight from the tables.
const KPISQL = `
WITH e AS (
	SELECT employee_key AS emp, greatest(start_date, $1::DATE) AS s, least(coalesce(end_date, $2::DATE), $2::DATE) + 1 AS x,
		contract_hours / fulltime_hours AS ptf
	FROM employments WHERE start_date <= $2::DATE AND coalesce(end_date, $2::DATE) >= $1::DATE
),
sick AS (
	SELECT e.emp, e.ptf * g.absence_pct / 100 AS w,
		least(coalesce(g.valid_to, c.recovery_date, $3::DATE + 1), $3::DATE + 1, e.x) - greatest(g.valid_from, e.s) AS d
	FROM case_segments g
	JOIN absence_cases c USING (employee_key, first_sick_day)
	JOIN e ON e.emp = g.employee_key AND g.valid_from < e.x AND coalesce(g.valid_to, c.recovery_date, $3::DATE + 1) > e.s
	WHERE c.absence_type IN ('sickness', 'sickness_pregnancy')
)
SELECT
	100 * (SELECT sum(w * d) FROM sick WHERE d > 0) / (SELECT sum((x - s) * ptf) FROM e),
	(SELECT count(*) FROM absence_cases WHERE absence_type IN ('sickness', 'sickness_pregnancy') AND first_sick_day BETWEEN $1::DATE AND $2::DATE)
		* 365.0 / (SELECT sum(x - s) FROM e),
	(SELECT avg(recovery_date - first_sick_day) FROM absence_cases
		WHERE absence_type IN ('sickness', 'sickness_pregnancy') AND recovery_date BETWEEN $1::DATE AND $2::DATE),
	100.0 * (SELECT count(DISTINCT emp) FROM e WHERE emp NOT IN (SELECT emp FROM sick WHERE d > 0)) / (SELECT count(DISTINCT emp) FROM e)`

// MonthSQL is the plain range join for one month: ZVP and ZMF of [$1, $2]
// with the extract date $3. A trend's reference runs it once per month.
const MonthSQL = `
WITH e AS (
	SELECT employee_key AS emp, greatest(start_date, $1::DATE) AS s, least(coalesce(end_date, $2::DATE), $2::DATE) + 1 AS x,
		contract_hours / fulltime_hours AS ptf
	FROM employments WHERE start_date <= $2::DATE AND coalesce(end_date, $2::DATE) >= $1::DATE
),
sick AS (
	SELECT e.ptf * g.absence_pct / 100
		* (least(coalesce(g.valid_to, c.recovery_date, $3::DATE + 1), $3::DATE + 1, e.x) - greatest(g.valid_from, e.s)) AS y
	FROM case_segments g
	JOIN absence_cases c USING (employee_key, first_sick_day)
	JOIN e ON e.emp = g.employee_key AND g.valid_from < e.x AND coalesce(g.valid_to, c.recovery_date, $3::DATE + 1) > e.s
	WHERE c.absence_type IN ('sickness', 'sickness_pregnancy')
)
SELECT
	100 * (SELECT sum(y) FROM sick WHERE y > 0) / (SELECT sum((x - s) * ptf) FROM e),
	(SELECT count(*) FROM absence_cases WHERE absence_type IN ('sickness', 'sickness_pregnancy') AND first_sick_day BETWEEN $1::DATE AND $2::DATE)
		* 365.0 / (SELECT sum(x - s) FROM e)`

// PlainKPIs runs KPISQL.
func PlainKPIs(ctx context.Context, db Querier, from, to, extract time.Time) (zvp, zmf, gzvd, zero float64, err error) {
	err = db.QueryRowContext(ctx, KPISQL, from, to, extract).Scan(&zvp, &zmf, &gzvd, &zero)
	return
}

// PlainMonth runs MonthSQL for the month of from.
func PlainMonth(ctx context.Context, db Querier, from, extract time.Time) (zvp, zmf float64, err error) {
	err = db.QueryRowContext(ctx, MonthSQL, from, from.AddDate(0, 1, -1), extract).Scan(&zvp, &zmf)
	return
}

// PlainTrend runs MonthSQL for each of the months from from up to to.
func PlainTrend(ctx context.Context, db Querier, from, to, extract time.Time) (months int, err error) {
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		if _, _, err := PlainMonth(ctx, db, m, extract); err != nil {
			return months, err
		}
		months++
	}
	return months, nil
}

// PlainLoad is DuckDB's own load of a CSV file into a table: read_csv with
// its detection, no checks, into the table plain.
func PlainLoad(ctx context.Context, db Execer, path string) error {
	_, err := db.ExecContext(ctx, `CREATE TABLE plain AS FROM read_csv($1)`, path)
	return err
}
