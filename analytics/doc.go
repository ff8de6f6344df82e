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
// Conventions (see Definitions for the text the dashboard shows):
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
//     Ziektewet pays for (see pieces.go).
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
//	Definitions(opt)                 formula, numerator, denominator and convention of
//	                                 every figure, keyed by its JSON name
//	Benchmarks(), NationalZVP(year), Comparable(key, from, to)  CBS and sector reference
//	                                 figures, annual or of the same quarter as the period
//	KPISet.Report(), BreakdownResult.Report()  the JSON form of `absence report`
package analytics
