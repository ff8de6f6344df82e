package analytics

import (
	"context"
	"database/sql"
	"math"
	"testing"
)

// The two BIGINT parts of a term (exact_parts) make the same integer in
// units of 2⁻⁶⁰ as exact_term's HUGEINT, rounding included (terms below
// 2⁻⁸ have bits finer than the unit: to the nearest, ties to even), and a
// sum of parts reads back as the same DOUBLE as the sum of HUGEINTs.
func TestExactPartsAreExactTerms(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE terms (x DOUBLE)"); err != nil {
		t.Fatal(err)
	}
	u := math.Ldexp(1, -60)
	terms := []float64{0, 1, -1, 0.8, 37 * 0.8, 107.85, 365 * 32.0 / 38 * 0.35, 1.0 / 3, -2.0 / 3, 1e-20, 5e6 + 1.0/7, math.Ldexp(1, 62),
		0.5 * u, 1.5 * u, 2.5 * u, -2.5 * u, 3 * u, math.Ldexp(1, -9) + 0.5*u, math.Nextafter(1, 2), math.Nextafter(1, 0)}
	for _, x := range terms {
		if _, err := db.ExecContext(ctx, "INSERT INTO terms VALUES ($1)", x); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT x, "+string(exactTerm("x"))+"::VARCHAR, (x_i::HUGEINT * "+string(unit)+" + x_f)::VARCHAR FROM (SELECT x, "+string(exactParts("x", "x"))+" FROM terms)")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var x float64
		var term, parts string
		if err := rows.Scan(&x, &term, &parts); err != nil {
			t.Fatal(err)
		}
		if term != parts {
			t.Errorf("%v (%b): exact_term %s, exact_parts %s", x, x, term, parts)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != len(terms) {
		t.Fatalf("%d terms of %d: %v", n, len(terms), err)
	}
	var huge, parts float64
	err = db.QueryRowContext(ctx, "SELECT (SELECT "+string(fromExact("sum("+string(exactTerm("x"))+")"))+" FROM terms), "+
		"(SELECT "+string(fromExactParts("s"))+" FROM (SELECT "+string(exactSum("x", "s", ""))+" FROM (SELECT "+string(exactParts("x", "x"))+" FROM terms)))").Scan(&huge, &parts)
	if err != nil {
		t.Fatal(err)
	}
	if huge != parts || huge == 0 {
		t.Errorf("the sum of the terms: %v from HUGEINTs, %v from parts", huge, parts)
	}
}
