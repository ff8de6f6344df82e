// Package analytics computes the Dutch sickness-absence statistics of the
// 1996 standard "Berekening van ziekteverzuim" (as used by CBS and Vernet)
// from the canonical tables that package ingest fills: the absence rate (ZVP),
// notification frequency (ZMF), mean duration (GZVD), zero-absence share,
// duration classes, frequent absentees and the Bradford factor, with
// breakdowns, trends, CBS benchmarks, 95% intervals and small-group
// protection.
//
// The functions are pure queries: they take a Querier (a *sql.DB, *sql.Conn or
// *sql.Tx on the DuckDB file), one Filter and Options, and return typed
// results. DuckDB does the heavy lifting (interval overlaps, range joins,
// window functions); Go only turns a handful of aggregate rows into figures.
// There is no HTTP and no chart code here.
//
// Where things are: every figure once in the catalogue (figures.go, with
// the tables figures_statistics.go, figures_outcomes.go and
// figures_case_ends.go): its name in every output, kind, decimals and
// definition in English and Dutch. The SQL of every figure family is in
// sql/NAME.sql, with the CTEs they share defined once (pieces, segments,
// employed and sick days, how a case ended, the absence types); query.go
// renders it with every value as a named parameter, and a Recorder keeps
// what ran for `absence report --explain`. The estimators (kaplan_meier.go,
// log_rank.go, aalen_johansen.go, survival_robust.go) and small-group
// protection (suppress.go, suppress_strata.go) are plain Go.
//
// Conventions (see the catalogue for the text the dashboard shows):
//   - The period P = [From, To] is inclusive and counted in calendar days.
//   - A case covers its first sick day up to, not including, its recovery
//     date; an open case runs through the extract date (inclusive). P never
//     runs past the extract date: a later To is cut back to it.
//   - The part-time factor is contract hours / full-time hours of the contract
//     valid on each day; days outside every contract count nowhere.
//   - Sickness is absence_type sickness, sickness_pregnancy or
//     organ_donation. Pregnancy and maternity leave is never sickness; it
//     only enters the labelled "incl. pregnancy leave" ZVP variant. Type
//     "other" is never sickness. Frequent absence and the Bradford factor
//     count type sickness only; the vangnet figures show the sickness the
//     Ziektewet pays for (see sql/types.sql).
//   - Days are attributed to the contract valid on that day (organisation
//     unit, location, hours band) and to the employee's age band (calendar
//     year of the day minus birth year) and tenure band (completed years of
//     unbroken service on that day). Cases are attributed to the contract
//     valid on their first sick day.
//
// Small-group protection is applied inside every exported function, so no
// page, API or export can bypass it: see Options.MinEmployees and
// Options.MinCases, and the description in suppress.go.
//
// Employers: Filter.Employers scopes every figure to a set of employers
// (empty: every employer; an organisation with only the default employer
// never sets it). render restricts the whole statement — CTEs named as the
// employer tables shadow them (query.go, employerScope) — so no query can
// forget the scope, and the ids are bound parameters. Within one employer,
// group sizes and so suppression count only its employees. Over several
// employers a figure is pooled; pooled.go has the client overview
// (BreakdownByEmployer) and the pool's figures (PooledKPIs), each shown only
// when it pools at least MinPooledEmployers employers.
//
// The API:
//
//	KPIs(ctx, db, f, opt)            every figure for the filtered population (KPISet)
//	Breakdown(ctx, db, f, dim, opt)  the same per department, team, location, age band,
//	                                 gender, hours band or tenure band, with the total
//	Series(ctx, db, f, g, opt)       a monthly, quarterly or yearly trend with the
//	                                 previous year and the rolling 12 months alongside
//	FrequentAbsentees(ctx, db, f, opt)  per-employee case counts, spells and Bradford
//	                                 factors (personal data, for case management)
//	Outcomes(ctx, db, f, dim, oo, opt)  how the cases of the period ended: still absent,
//	                                 back at the own employer, second track, WIA/IVA,
//	                                 employment ended, other (Aalen–Johansen), long cases
//	FrequentToLong(ctx, db, f, at, opt)  frequent absentees at a date against the others:
//	                                 share starting a long case within 12/24/48 months
//	Catalogue(), FigureOf(key)       every figure once: name, kind, decimals, where shown,
//	                                 definition in English and Dutch, how to read it
//	Columns(total)                   the columns of every table of the statistics
//	Definitions(opt)                 formula, numerator, denominator and convention of
//	                                 every figure, keyed by its JSON name, in both languages
//	Benchmarks(), NationalZVP(year), Comparable(key, from, to)  CBS and sector reference
//	                                 figures, annual or of the same quarter as the period
//	KPISet.Report(), BreakdownResult.Report()  the JSON form of `absence report`
//	BreakdownByEmployer(ctx, db, f, opt), PooledKPIs(ctx, db, f, opt), PoolSize(ctx, db, f)
//	                                 a provider's figures per employer and over its pool
package analytics
